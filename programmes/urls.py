from django.urls import path

from .views import budget, enrolment, programme, strands

# A programme's own page and those that read its visits (/programmes/<slug>/, its budget and
# schools) are the dashboards app's, mounted after these.
app_name = "programmes"
urlpatterns = [
    path("", programme.programme_list, name="list"),
    path("new/", programme.programme_create, name="create"),
    path("<slug:slug>/edit/", programme.programme_edit, name="edit"),
    path("<slug:slug>/cohorts/new/", programme.cohort_form, name="cohort_create"),
    path("<slug:slug>/cohorts/<int:pk>/", programme.cohort_form, name="cohort_edit"),
    path("<slug:slug>/kpis/new/", programme.kpi_form, name="kpi_create"),
    path("<slug:slug>/kpis/<int:pk>/", programme.kpi_form, name="kpi_edit"),
    path("<slug:slug>/bands/new/", programme.allocation_band_form, name="band_create"),
    path("<slug:slug>/bands/<int:pk>/", programme.allocation_band_form, name="band_edit"),
    path("<slug:slug>/schools/enrol/", enrolment.enrolment_bulk, name="enrol"),
    path("<slug:slug>/schools/<int:urn>/", enrolment.enrolment_edit, name="enrolment_edit"),
    path("<slug:slug>/comparison/", enrolment.comparison_schools, name="comparison"),
    path(
        "<slug:slug>/comparison/<int:urn>/remove/",
        enrolment.comparison_school_remove,
        name="comparison_remove",
    ),
    path("<slug:slug>/strands/", strands.strand_list, name="strands"),
    path("<slug:slug>/strands/new/", strands.strand_form, name="strand_create"),
    path("<slug:slug>/strands/<int:pk>/", strands.strand_form, name="strand_edit"),
    path("<slug:slug>/strands/<int:pk>/uptake/", strands.strand_uptake, name="strand_uptake"),
    path("<slug:slug>/budget/lines/new/", budget.budget_line_form, name="budget_line_create"),
    path("<slug:slug>/budget/lines/<int:pk>/", budget.budget_line_form, name="budget_line_edit"),
    path("<slug:slug>/budget/spend/new/", budget.spend_new, name="spend_create"),
]
