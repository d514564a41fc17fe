"""The visit coverage pages, under /visits/ as before (see dashboards.coverage for why here)."""

from django.shortcuts import render

from accounts.access import programme_led_or_404, sle_programme_or_404, sle_schools_in
from schools.models import School
from schools.year_groups import YEAR_GROUP_LABELS
from visits.selectors import coverage

from ..coverage import coverage_year_groups, overdue_first, rating_chart
from ..tables import tables_download
from ..tables.delivery import coverage_table
from ..tables.figures import chart_table


def _coverage_page(request, programme, schools):
    year_groups = coverage_year_groups(programme=programme, schools=schools)
    rows = overdue_first(
        programme=programme,
        schools=schools,
        rows=coverage(programme=programme, schools=schools, year_groups=year_groups),
    )
    context = {
        "programme": programme,
        "rows": rows,
        "overdue_count": sum(1 for _row, due in rows if due and due.overdue),
        "year_groups": [YEAR_GROUP_LABELS[n] for n in year_groups],
    }
    ratings = rating_chart(programme=programme, rows=rows)
    # Read by base.html, which then loads the chart script.
    context |= {"ratings": ratings, "charts": bool(ratings)}
    # Visits, not pupils' results: its downloads are not recorded in the audit log.
    tables = {"coverage": coverage_table(rows, context["year_groups"])}
    if ratings:
        tables["chart-ratings"] = chart_table(ratings)
    if download := tables_download(request, tables):
        return download
    return render(request, "dashboards/coverage.html", context)


def coverage_mine(request, slug: str):
    """An SLE's schools in one programme."""
    programme = sle_programme_or_404(request.user, slug)
    return _coverage_page(request, programme, sle_schools_in(request.user, programme))


def coverage_programme(request, slug: str):
    """Every school of a programme, for its hub lead."""
    programme = programme_led_or_404(request.user, slug)
    return _coverage_page(
        request, programme, School.objects.filter(enrolments__programme=programme)
    )
