"""Plan a comparison: the MDES a design of schools would give, with the ICC the portal has
measured (issue 18). Expected figures are worked out here from the formula, by hand."""

import html
import math
import re

import pytest
from django.urls import reverse

from evaluation.models import ReportEntry, ReportSnapshot
from tests.factories import ProgrammeFactory

URL = reverse("evaluation:planner")


def _words(page) -> str:
    """The page's text as a reader meets it: without tags, spaces run together."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page.content.decode())).split())


def _mdes(icc, programme_schools, comparison_schools, pupils):
    """2.8 x sqrt(ICC / (P(1-P)J) + (1 - ICC) / (P(1-P)J m)), written out afresh."""
    j = programme_schools + comparison_schools
    p = programme_schools / j
    return 2.8 * math.sqrt(icc / (p * (1 - p) * j) + (1 - icc) / (p * (1 - p) * j * pupils))


def _plan(client, programme_schools=10, pupils_per_school=25, comparison_schools=10):
    query = {"programme_schools": programme_schools, "pupils_per_school": pupils_per_school,
             "comparison_schools": comparison_schools}  # fmt: skip
    return client.get(URL, query)


def _stored(programme, data_version, *iccs, scope_type="programme", year_group=None):
    """A stored report with one progress entry a pair of assessments, each with an ICC."""
    snapshot = ReportSnapshot.objects.create(
        programme=programme, data_version=data_version, threshold=5
    )
    for n, icc in enumerate(iccs):
        ReportEntry.objects.create(
            snapshot=snapshot, kind="progress", scope_type=scope_type, scope_id=programme.pk,
            year_group=year_group, window=f"later-{n}", from_window="start",
            figures={"scope": {"type": scope_type, "id": programme.pk, "name": programme.name},
                     "year_group": year_group, "from": "start", "to": f"later-{n}",
                     "effect_size": {"all": {"hedges_g": 0.2, "icc": icc}}},
        )  # fmt: skip
    return snapshot


@pytest.mark.parametrize("person", ["hub_lead", "admin"])
def test_it_opens_to_hub_leads_and_site_admins(client, world, person):
    client.force_login(getattr(world, person))
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("person", ["head_a", "maths_lead_a", "governor_a", "sle", "outsider"])
def test_it_is_404_to_everyone_else(client, world, person):
    client.force_login(getattr(world, person))
    assert _plan(client).status_code == 404


def test_it_gives_the_mdes_with_the_assumed_icc_when_no_report_has_one(client, world):
    client.force_login(world.hub_lead)
    page = _words(_plan(client))
    # J = 20, P = 0.5, P(1-P)J = 5: 2.8 x sqrt(0.15/5 + 0.85/125) = 2.8 x sqrt(0.0368) = 0.537
    expected = _mdes(0.15, 10, 10, 25)
    assert expected == pytest.approx(0.5371, abs=1e-4)
    assert "effect size of 0.54 or more, about 7 months' progress" in page  # 0.53 to 0.61
    assert "smaller effects might be missed" in page
    assert "An ICC of 0.15 is assumed, since no programme's report" in page
    assert "80% power, at 5% two-sided significance" in page


def test_it_weighs_an_unequal_design(client, world):
    client.force_login(world.hub_lead)
    page = _words(_plan(client, programme_schools=12, pupils_per_school=30, comparison_schools=4))
    # J = 16, P = 0.75, P(1-P)J = 3: 2.8 x sqrt(0.05 + 0.85/90) = 2.8 x 0.24381 = 0.683
    assert _mdes(0.15, 12, 4, 30) == pytest.approx(0.6827, abs=1e-4)
    assert "effect size of 0.68 or more, about 8 months' progress" in page  # 0.62 to 0.69


def test_it_uses_the_median_icc_of_each_programmes_latest_report(client, world):
    one, two, three = world.programme, ProgrammeFactory(), ProgrammeFactory()
    _stored(one, 1, 0.9)  # superseded by the report of data version 2
    _stored(one, 2, 0.08)
    _stored(two, 1, 0.10, 0.30)  # two pairs of assessments: the programme's median, 0.20
    _stored(three, 1, 0.12, None)  # a pair whose ICC was not measured counts for nothing
    # Neither a school's entry nor one year group's is the programme's.
    _stored(ProgrammeFactory(), 1, 0.5, scope_type="school")
    _stored(ProgrammeFactory(), 1, 0.6, year_group=6)
    client.force_login(world.hub_lead)
    page = _words(_plan(client))
    # Median of 0.08, 0.20 and 0.12 is 0.12 (over every pair alike it would be 0.11; with the
    # superseded report, 0.20). 2.8 x sqrt(0.12/5 + 0.88/125) = 2.8 x sqrt(0.03104) = 0.493
    assert _mdes(0.12, 10, 10, 25) == pytest.approx(0.4933, abs=1e-4)
    assert "An ICC of 0.12: the median of those measured in 3 programmes' latest reports" in page
    assert "effect size of 0.49 or more, about 6 months' progress" in page  # 0.45 to 0.52


def test_it_names_one_programmes_icc_as_such(client, world):
    _stored(world.programme, 1, 0.25)
    client.force_login(world.hub_lead)
    page = _words(_plan(client, programme_schools=30, pupils_per_school=20, comparison_schools=30))
    # J = 60, P(1-P)J = 15: 2.8 x sqrt(0.25/15 + 0.75/300) = 2.8 x sqrt(0.019167) = 0.388
    assert _mdes(0.25, 30, 30, 20) == pytest.approx(0.3876, abs=1e-4)
    assert "An ICC of 0.25: the one measured in 1 programme's latest report" in page
    assert "effect size of 0.39 or more, about 5 months' progress" in page  # 0.36 to 0.44


def test_it_says_when_a_design_could_detect_only_more_than_the_table_goes(client, world):
    client.force_login(world.hub_lead)
    page = _words(_plan(client, programme_schools=1, pupils_per_school=1, comparison_schools=1))
    # J = 2, P(1-P)J = 0.5: 2.8 x sqrt(0.15/0.5 + 0.85/0.5) = 2.8 x sqrt(2) = 3.96
    assert _mdes(0.15, 1, 1, 1) == pytest.approx(3.9598, abs=1e-4)
    assert "effect size of 3.96 or more, 12 months' progress or more" in page


def test_it_links_to_how_figures_are_calculated(client, world):
    client.force_login(world.hub_lead)
    assert f'href="{reverse("evaluation:method")}#how-sure"' in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"programme_schools": 0}, "Enter at least 1 for the programme schools."),
        ({"comparison_schools": 0}, "Enter at least 1 for the comparison schools."),
        ({"pupils_per_school": 0}, "Enter at least 1 for the pupils per school."),
        ({"pupils_per_school": "2.5"}, "Enter the number of pupils per school as a whole number"),
        ({"programme_schools": "ten"}, "Enter the number of programme schools as a whole number"),
        ({"comparison_schools": 5001}, "Enter at most 5000 for the comparison schools."),
        ({"pupils_per_school": 1001}, "Enter at most 1000 for the pupils per school."),
        ({"programme_schools": ""}, "Enter the number of programme schools."),
    ],
)
def test_it_says_what_to_correct(client, world, query, message):
    client.force_login(world.hub_lead)
    page = _words(_plan(client, **query))
    assert message in page
    assert "What this design could detect" not in page


def test_it_shows_the_form_alone_before_anything_is_entered(client, world):
    client.force_login(world.hub_lead)
    response = client.get(URL)
    page, markup = _words(response), response.content.decode()
    assert "What this design could detect" not in page
    assert "Enter the number of" not in page
    assert re.search(r'<input type="number" name="pupils_per_school"[^>]*min="1"', markup)


def test_it_writes_nothing_and_reads_in_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.hub_lead)
    # The session, the user, their two-factor device, their roles and the ICC.
    with django_assert_max_num_queries(5):
        assert _plan(client).status_code == 200
    for n in range(4):
        _stored(ProgrammeFactory(), 1, 0.1 * (n + 1), 0.05)
    snapshots, entries = ReportSnapshot.objects.count(), ReportEntry.objects.count()
    with django_assert_max_num_queries(5):
        assert "4 programmes' latest reports" in _words(_plan(client))
    assert (ReportSnapshot.objects.count(), ReportEntry.objects.count()) == (snapshots, entries)
