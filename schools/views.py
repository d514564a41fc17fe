from django.shortcuts import render

from accounts.access import school_visible_or_404, schools_assigned_to_sle

from . import selectors


def my_schools(request):
    """An SLE's home: the schools they are assigned to support."""
    schools = selectors.schools_with_local_authority(schools_assigned_to_sle(request.user))
    return render(request, "schools/my_schools.html", {"schools": schools})


def school_dashboard(request, urn: int):
    school = school_visible_or_404(request.user, urn)
    context = {"school": school, "enrolments": selectors.school_enrolments(school=school)}
    return render(request, "schools/dashboard.html", context)
