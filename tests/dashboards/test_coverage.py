from datetime import date

from django.urls import reverse

from evaluation.models import Pupil, PupilYear
from tests.factories import RecordOfVisitFactory


def test_coverage_shows_year_groups_visited_and_days_used(client, world):
    for year_groups, visit_date in (([1, 2], date(2025, 10, 1)), ([2], date(2025, 11, 5))):
        RecordOfVisitFactory(
            programme=world.programme,
            school=world.school_a,
            sle=world.sle,
            year_groups=year_groups,
            visit_date=visit_date,
        )
    # A Reception pupil: Reception is one of the school's year groups, and no visit covered it.
    PupilYear.objects.create(
        pupil=Pupil.objects.create(programme=world.programme, upn_hash="x" * 64),
        programme=world.programme,
        academic_year=2025,
        school=world.school_a,
        year_group=0,
        disadvantaged=False,
    )
    client.force_login(world.sle)
    page = client.get(
        reverse("dashboards:coverage_mine", args=[world.programme.slug])
    ).content.decode()
    row = page[page.index(world.school_a.name) :]
    row = row[: row.index("</tr>")]
    cells = row.split("<td")[1:]
    # Reception: none; Year 1: one visit, 1 Oct; Year 2: two visits, the last 5 Nov.
    assert "coverage-gap" in cells[0]
    assert "1<br><small>1 Oct</small>" in cells[1]
    assert "2<br><small>5 Nov</small>" in cells[2]
    assert "1 / 4" in cells[-1]
