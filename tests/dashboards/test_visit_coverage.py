"""Visit coverage: gaps shown in colour and in words, and schools told apart when they share a
name (the demo had five "Ashburton Primary School"s, indistinguishable on the page). That a
gap's cell is yellow in a browser, its words readable, is in tests/browser/test_buttons.py."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import User
from demo.loader import DEMO_SLUG, load_demo
from evaluation.models import Pupil, PupilYear
from schools.models import School
from tests.factories import EnrolmentFactory, RecordOfVisitFactory
from tests.queries import queries_for


def _pupil_in(world, school, year_group: int) -> None:
    PupilYear.objects.create(
        pupil=Pupil.objects.create(programme=world.programme, upn_hash=f"{year_group}" * 64),
        programme=world.programme,
        academic_year=2025,
        school=school,
        year_group=year_group,
        disadvantaged=False,
    )


@pytest.fixture
def year_one_visited(world):
    """Pupils in Reception, Year 1 and Year 2; one visit, to Year 1: two gaps."""
    for year_group in (0, 1, 2):
        _pupil_in(world, world.school_a, year_group)
    RecordOfVisitFactory(
        programme=world.programme,
        school=world.school_a,
        sle=world.sle,
        year_groups=[1],
        visit_date=date(2025, 10, 1),
    )


def _cells(page: str, urn: int) -> list[str]:
    row = page[page.index(f"URN {urn}") :]
    return row[: row.index("</tr>")].split("<td")[1:]


def test_a_gap_is_a_warning_cell_that_says_so(client, world, year_one_visited):
    client.force_login(world.sle)
    page = client.get(reverse("dashboards:coverage_mine", args=[world.programme.slug]))
    reception, year_1, year_2, _days = _cells(page.content.decode(), world.school_a.urn)
    for gap in (reception, year_2):
        assert "table-warning" in gap  # Bootstrap's cell colour, which a cell's own loses to
        assert "no visit" in gap  # not colour alone
    assert "table-warning" not in year_1
    assert "no visit" not in year_1


def test_schools_that_share_a_name_are_told_apart(client, world):
    twins = [
        EnrolmentFactory(cohort=world.cohort, school__name="Ashburton Primary School").school
        for _ in range(2)
    ]
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:coverage_programme", args=[world.programme.slug]))
    headers = re.findall(r'<th scope="row">(.*?)</th>', page.content.decode(), flags=re.S)
    under_name = '<br><small class="fw-normal text-body-secondary">URN {}, {}</small>'
    for school in twins:
        details = under_name.format(school.urn, school.local_authority.name)
        assert "Ashburton Primary School" + details in headers


def test_the_coverage_page_keeps_to_a_constant_number_of_queries(
    client, world, year_one_visited, django_assert_max_num_queries
):
    client.force_login(world.hub_lead)
    url = reverse("dashboards:coverage_programme", args=[world.programme.slug])
    before = queries_for(client, url)
    for _ in range(5):
        school = EnrolmentFactory(cohort=world.cohort).school
        RecordOfVisitFactory(programme=world.programme, school=school, sle=world.sle)
    with django_assert_max_num_queries(before):
        client.get(url)


def test_each_demo_school_has_a_name_of_its_own(client):
    load_demo()
    enrolled = School.objects.filter(enrolments__programme__slug=DEMO_SLUG)
    names = list(enrolled.values_list("name", flat=True))
    assert len(names) == 24 * 5  # five schools in each of 24 boroughs
    assert len(set(names)) == len(names)
    client.force_login(User.objects.get(email="hub.lead@example.org"))
    page = client.get(reverse("dashboards:coverage_programme", args=[DEMO_SLUG]))
    found = re.findall(r'<th scope="row">([^<]+)<br>', page.content.decode())
    rows = [html.unescape(name) for name in found]
    assert sorted(rows) == sorted(names)
    assert rows.count("Ashburton Primary School") == 1
