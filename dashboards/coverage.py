"""The visit coverage matrix reads two apps side by side: the year groups of a programme's
pupils (evaluation) and those its visits covered (visits), so it is composed here."""

from evaluation.models import PupilYear
from schools.models import School
from schools.year_groups import year_groups_for
from visits.selectors import visit_year_groups


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
