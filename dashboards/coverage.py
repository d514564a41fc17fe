"""The visit coverage matrix reads two apps side by side: the year groups of a programme's
pupils (evaluation) and those its visits covered (visits), so it is composed here; with it,
when each school is next due a visit."""

from evaluation.models import PupilYear
from programmes.models import Enrolment
from schools.models import School
from schools.year_groups import year_groups_for
from visits.selectors import next_visits, visit_year_groups


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
