"""A school's dashboard, and an SLE's home with the schools they support."""

from django.shortcuts import render

from accounts.access import (
    invitations_awaiting,
    may_see_comparison_school,
    school_programmes_visible_to,
    school_visible_or_404,
    schools_assigned_to_sle,
    scope_of,
)
from programmes.models import Programme
from schools.selectors import schools_with_local_authority, staff_of
from workgroups.selectors import cpd_coverage

from .. import figures, selectors


def my_schools(request):
    """An SLE's home: the schools they are assigned to support."""
    assigned = schools_assigned_to_sle(request.user)
    programmes = Programme.objects.filter(
        pk__in={p for _, p in scope_of(request.user).sle_assignments}
    )
    context = {
        "schools": schools_with_local_authority(assigned),
        "programmes": programmes,
        **selectors.sle_home(user=request.user, school_ids=assigned.values("pk")),
    }
    return render(request, "dashboards/my_schools.html", context)


def school_dashboard(request, urn: int):
    school = school_visible_or_404(request.user, urn)
    programmes = school_programmes_visible_to(request.user, school)
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
        "can_edit_school": scope_of(request.user).is_site_admin,
        "evaluation": figures.school_dashboard_figures(
            school=school,
            comparison_shown=may_see_comparison_school(request.user, school.pk),
            programmes=programmes,
        ),
        "invitations_awaiting": invitations_awaiting(request.user, school).count(),
        "charts": True,
    }
    return render(request, "dashboards/school.html", context)
