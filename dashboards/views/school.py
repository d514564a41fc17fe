"""A school's dashboard, and an SLE's home with the schools they support."""

from django.shortcuts import render

from accounts.access import (
    invitations_awaiting,
    is_site_admin,
    may_see_comparison_school,
    may_set_school_targets,
    programmes_worked_on_as_sle,
    school_programmes_visible_to,
    school_visible_or_404,
    schools_assigned_to_sle,
)
from evaluation.targets import school_targets_on_track
from schools.selectors import schools_with_local_authority, staff_of
from visits.selectors import next_visits_of_sle
from workgroups.selectors import cpd_coverage

from .. import selectors, trends
from ..tables import tables_download
from ..tables.delivery import MySchoolsTable


def my_schools(request):
    """An SLE's home: what is overdue at their schools first, then the schools they are
    assigned to support."""
    assigned = schools_assigned_to_sle(request.user)
    programmes = programmes_worked_on_as_sle(request.user)
    schools = list(schools_with_local_authority(assigned))
    if download := tables_download(request, {"my-schools": MySchoolsTable(schools)}):
        return download
    school_ids = assigned.values("pk")
    context = {
        "schools": schools,
        "programmes": programmes,
        "overdue": selectors.overdue(
            visits_due=next_visits_of_sle(sle=request.user), schools=school_ids, shown=15
        ),
        **selectors.sle_home(user=request.user, school_ids=school_ids),
    }
    return render(request, "dashboards/my_schools.html", context)


def school_dashboard(request, urn: int):
    school = school_visible_or_404(request.user, urn)
    programmes = school_programmes_visible_to(request.user, school)
    evaluation, over_years, tables = trends.school_evaluation(
        school=school,
        programmes=programmes,
        comparison_shown=may_see_comparison_school(request.user, school.pk),
    )
    if download := tables_download(request, tables, figures_of=school.name, school=school):
        return download
    current, _ = staff_of(school=school)
    enrolments = list(selectors.school_enrolments(school=school, programmes=programmes))
    context = {
        "school": school,
        "enrolments": enrolments,
        "staff_count": len(current),
        # A school is in one or two programmes at a time: one coverage query for each.
        "cpd": [
            (e.programme, cpd_coverage(programme=e.programme, school=school)) for e in enrolments
        ],
        "can_edit_school": is_site_admin(request.user),
        "evaluation": evaluation,
        "trends": over_years,
        "school_targets": school_targets_on_track(school=school, programmes=programmes),
        "may_set_targets": may_set_school_targets(request.user, school),
        "invitations_awaiting": invitations_awaiting(request.user, school).count(),
        "overdue_actions": selectors.overdue_action_count(school=school),
        "charts": True,
    }
    return render(request, "dashboards/school.html", context)
