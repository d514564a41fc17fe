"""Mounted at the root, after the programmes', schools' and visits' own URLs: the dashboards
keep the paths they had there (a programme's and a school's page, visit coverage), so their
slug and URN patterns must not shadow /programmes/new/ and the like."""

from django.urls import path

from .views import coverage, programme, reports, school

app_name = "dashboards"
urlpatterns = [
    path("programmes/<slug:slug>/", programme.programme_dashboard, name="programme"),
    path("programmes/<slug:slug>/funder-report/", reports.funder_report, name="funder_report"),
    path("programmes/<slug:slug>/schools/", programme.enrolment_list, name="enrolments"),
    path("programmes/<slug:slug>/budget/", programme.budget, name="budget"),
    path("schools/mine/", school.my_schools, name="mine"),
    path("schools/<int:urn>/", school.school_dashboard, name="school"),
    path("schools/<int:urn>/governor-report/", reports.governor_report, name="governor_report"),
    path("visits/coverage/<slug:slug>/", coverage.coverage_mine, name="coverage_mine"),
    path(
        "visits/coverage/<slug:slug>/all/",
        coverage.coverage_programme,
        name="coverage_programme",
    ),
]
