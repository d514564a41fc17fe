"""Missing data, shown: the pupils a window did not assess (coverage) and those lost between
two windows (attrition), through the real upload pipeline and on the pages that read them."""

import random

import pytest
from django.urls import reverse

from dashboards.figures import with_attrition_gap
from evaluation import reports, selectors

from .files import make_upn, results_csv
from .test_engine import SCHOOL_1


def _rows(world, pupils, column):
    rows = [
        {"UPN": make_upn(p), "URN": world.school_a.urn, "Year Group": "Y2",
         "Pupil Premium": "Y" if SCHOOL_1[p][2] else "N", "SEN": "K" if SCHOOL_1[p][3] else "",
         "Scaled Score": SCHOOL_1[p][column]}
        for p in pupils
    ]  # fmt: skip
    random.Random(len(pupils)).shuffle(rows)  # files come in any order
    return rows


@pytest.fixture
def lost_one(client, world, window, send_file, act, settings):
    """Baseline: pupils 1-6 (1 and 2 disadvantaged). End, in another order: pupil 1 has
    left and a newcomer (99, not disadvantaged) has joined. One academic year."""
    settings.SUPPRESSION_THRESHOLD = 1
    end = window.programme.assessment_windows.create(
        slug="end", name="End", kind="end", date=window.date.replace(year=2026, month=6)
    )
    client.force_login(world.hub_lead)
    act(send_file(window, results_csv(_rows(world, range(1, 7), 0))), "confirm")
    newcomer = {"UPN": make_upn(99), "URN": world.school_a.urn, "Year Group": "Y2",
                "Pupil Premium": "N", "Scaled Score": 104}  # fmt: skip
    act(send_file(end, results_csv([*_rows(world, range(2, 7), 1), newcomer])), "confirm")
    return selectors.report_status(programme=world.programme).snapshot


def _programme_entry(snapshot, kind, **criteria):
    return snapshot.entries.get(
        kind=kind, scope_type="programme", year_group=None, **criteria
    ).figures


def test_the_report_counts_the_pupils_each_window_missed_and_those_lost(lost_one):
    baseline = _programme_entry(lost_one, "attainment", window="baseline")
    end = _programme_entry(lost_one, "attainment", window="end")
    # Seven pupils have a result this year: six at baseline, six (five and the newcomer) at end.
    assert baseline["coverage"] == {"pupils": 7, "assessed": 6}
    assert end["coverage"] == {"pupils": 7, "assessed": 6}
    progress = _programme_entry(lost_one, "progress", window="end")
    assert progress["n_matched"] == 5
    assert progress["attrition"]["all"] == {"lost": 1, "of": 6}
    assert progress["attrition"]["disadvantaged"] == {"lost": 1, "of": 2}
    assert progress["attrition"]["other"] == {"lost": 0, "of": 4}


def test_the_dashboards_say_in_words_that_disadvantaged_pupils_were_lost_more(
    client, world, lost_one
):
    # The windows by their names ("Baseline", "End"), not their slugs.
    words = "50% of the disadvantaged pupils assessed at Baseline have no result at End"
    page = client.get(reverse("dashboards:programme", args=[world.programme.slug]))
    assert words in page.content.decode()
    assert "against 0% of other pupils" in page.content.decode()
    assert "6 of 7" in page.content.decode()  # assessed of the year's pupils
    client.force_login(world.head_a)
    page = client.get(reverse("dashboards:school", args=[world.school_a.urn])).content.decode()
    assert words in page
    assert "7 pupils have a result at some assessment this year" in page


def test_the_words_wait_for_a_difference_of_more_than_five_points():
    def entry(lost_disadvantaged, lost_other):
        return {"attrition": {"disadvantaged": {"lost": lost_disadvantaged, "of": 100},
                              "other": {"lost": lost_other, "of": 100}}}  # fmt: skip

    assert with_attrition_gap(entry(15, 10))["attrition_gap"] is None  # 5 points
    assert with_attrition_gap(entry(16, 10))["attrition_gap"] == {
        "disadvantaged": 16, "other": 10,
    }  # fmt: skip
    withheld = {"attrition": {"disadvantaged": {"lost": None, "of": None, "suppressed": True},
                              "other": {"lost": 0, "of": 40}}}  # fmt: skip
    assert with_attrition_gap(withheld)["attrition_gap"] is None


def test_attrition_is_withheld_under_the_threshold(lost_one, settings):
    progress = _programme_entry(lost_one, "progress", window="end")
    assert progress["attrition"]["disadvantaged"]["lost"] == 1
    settings.SUPPRESSION_THRESHOLD = 3  # two disadvantaged pupils at baseline: withheld
    entries = reports.compute(lost_one.programme)[0].progress
    entry = next(
        e for e in entries if e["scope"]["type"] == "programme" and e["year_group"] is None
    )
    assert entry["attrition"]["disadvantaged"] == {"lost": None, "of": None, "suppressed": True}
    assert entry["attrition"]["other"]["suppressed"] is True  # its pair
    assert entry["attrition"]["all"] == {"lost": 1, "of": 6}
