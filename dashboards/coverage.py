"""The visit coverage matrix reads two apps side by side: the year groups of a programme's
pupils (evaluation) and those its visits covered (visits), so it is composed here; with it,
when each school is next due a visit."""

from evaluation.models import PupilYear
from programmes.models import Enrolment
from schools.models import School
from schools.year_groups import year_groups_for
from visits.form_selectors import rating_summary
from visits.selectors import next_visits, visit_year_groups

from .figures import chart_series


def coverage_year_groups(*, programme, schools) -> list[int]:
    """The year groups a coverage matrix shows: those the programme's pupils are in, or its
    visits covered (a KS1 project shows Reception to Year 2, not the whole school); failing
    both, every year group of the schools' phases."""
    # The programme's own pupils: another programme's pupils at these schools are its own.
    pupil_years = PupilYear.objects.filter(school__in=schools, programme=programme)
    years = set(pupil_years.values_list("year_group", flat=True).distinct())
    years |= visit_year_groups(programme=programme, schools=schools)
    phases = list(schools.values_list("phase", flat=True).distinct())  # asked always: same queries
    if not years:
        years = {n for phase in phases for n in year_groups_for(School(phase=phase))}
    return sorted(years) or [0]


def overdue_first(*, programme, schools, rows: list) -> list[tuple]:
    """The coverage rows, each with when its school is next due a visit (None where the
    programme sets no interval): the schools overdue for one first, most overdue first, then
    the others as they came. One query."""
    due = {
        n.enrolment.school_id: n
        for n in next_visits(
            enrolments=Enrolment.objects.filter(programme=programme, school__in=schools)
        )
    }
    pairs = [(row, due.get(row.school.pk)) for row in rows]
    # sorted() is stable: the schools not overdue keep the rows' order.
    return sorted(
        pairs, key=lambda pair: (0, pair[1].due_on) if pair[1] and pair[1].overdue else (1,)
    )


# The looks of the chart's series, one a rating question, in turn.
RATING_SERIES = ("all", "other", "disadvantaged", "send", "comparison")


def rating_chart(*, programme, rows: list) -> dict | None:
    """The mean of each rating question at each school (in the coverage rows' order) and
    across the programme, as a bar chart; its table, with the number of ratings, beside it.
    None when no record has a rating."""
    schools = [row.school for row, _due in rows]
    per_school, overall = rating_summary(programme=programme, schools=schools)
    if not overall:
        return None
    found = {(r["label"], r["school_id"]): r for r in per_school}
    datasets = []
    for n, entry in enumerate(overall):
        cells = [found.get((entry["label"], school.pk)) for school in schools] + [entry]
        series = chart_series(
            RATING_SERIES[n % len(RATING_SERIES)],
            entry["label"],
            [cell and round(float(cell["mean"]), 2) for cell in cells],
            [None] * len(cells),
        )
        datasets.append(series | {"counts": [cell and cell["count"] for cell in cells]})
    return {
        "type": "bar",
        "labels": [school.name for school in schools] + ["Whole programme"],
        "unit": "",
        "datasets": datasets,
    }
