"""The visit coverage pages, under /visits/ as before (see dashboards.coverage for why here)."""

from django.shortcuts import render

from accounts.access import programme_led_or_404, scope_of, sle_programme_or_404
from schools.forms import YEAR_GROUP_LABELS
from schools.models import School
from visits.selectors import coverage

from ..coverage import coverage_year_groups


def _coverage_page(request, programme, schools):
    year_groups = coverage_year_groups(programme=programme, schools=schools)
    rows = coverage(programme=programme, schools=schools, year_groups=year_groups)
    context = {
        "programme": programme,
        "rows": rows,
        "year_groups": [YEAR_GROUP_LABELS[n] for n in year_groups],
    }
    return render(request, "dashboards/coverage.html", context)


def coverage_mine(request, slug: str):
    """An SLE's schools in one programme."""
    scope = scope_of(request.user)
    programme = sle_programme_or_404(request.user, slug)
    ids = {school for school, p in scope.sle_assignments if p == programme.pk}
    return _coverage_page(request, programme, School.objects.filter(pk__in=ids))


def coverage_programme(request, slug: str):
    """Every school of a programme, for its hub lead."""
    programme = programme_led_or_404(request.user, slug)
    return _coverage_page(
        request, programme, School.objects.filter(enrolments__programme=programme)
    )
