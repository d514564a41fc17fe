"""What a figure means, in words (evaluation/templatetags/figures.py): each tag on its own, then
the sentences the dashboards, the governor report and the funder report give of a report
computed from uploaded results, whose figures are worked out here again with scipy and
statsmodels."""

import html
import math
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from evaluation import reports
from evaluation.models import NationalReference
from evaluation.templatetags.figures import (
    effect_size_words,
    gap_change_words,
    months,
    national_words,
    with_intervals,
)
from tests.pdfs import pdf_html

from .test_engine import COMPARISON, SCHOOL_1
from .test_reports import imported, second_window  # noqa: F401

WITHHELD = {"mean_points": None, "mean_points_ci": None, "suppressed": True}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        # Later gap minus earlier: -0.9 narrowed, and so did its whole interval.
        ({"mean_points": -0.9, "mean_points_ci": [-1.3, -0.5]},
         "narrowed by 0.9 points (95% confidence interval 0.5 to 1.3): unlikely to be chance"),
        ({"mean_points": 2.5, "mean_points_ci": [0.25, 4.75]},
         "widened by 2.5 points (95% confidence interval 0.25 to 4.75): unlikely to be chance"),
        ({"mean_points": -3.0, "mean_points_ci": [-10.7, 4.7]},
         "narrowed by 3 points (95% confidence interval -4.7 to 10.7): could be chance"),
        ({"mean_points": 1.2, "mean_points_ci": [-0.4, 2.8]},
         "widened by 1.2 points (95% confidence interval -0.4 to 2.8): could be chance"),
        ({"mean_points": 0.0, "mean_points_ci": [-1.5, 1.5]},
         "unchanged (95% confidence interval -1.5 to 1.5): could be chance"),
        # An interval ending at 0 holds it; turned round, its end reads "0", not "-0".
        ({"mean_points": -0.9, "mean_points_ci": [-1.8, 0.0]},
         "narrowed by 0.9 points (95% confidence interval 0 to 1.8): could be chance"),
        # No interval (a group of one pupil): no word on chance.
        ({"mean_points": -0.9, "mean_points_ci": None}, "narrowed by 0.9 points"),
        ({"mean_points": 4.0}, "widened by 4 points"),
        ({"mean_points": None, "mean_points_ci": None}, "–"),
        (None, "–"),
        (WITHHELD, "Fewer than 5 pupils"),
    ],
)  # fmt: skip
def test_the_gap_change_says_which_way_and_whether_it_could_be_chance(change, words):
    assert gap_change_words(change, 5) == words


def test_a_withheld_gap_change_says_nothing_of_its_interval():
    # Even were an interval left in a withheld figure, it is not read.
    assert gap_change_words(WITHHELD | {"mean_points_ci": [-1, 1]}, 7) == "Fewer than 7 pupils"
    assert gap_change_words(WITHHELD, None) == "Too few pupils"


def _entry(significance, national=81.0, interval=(28.0, 36.0), key="disadvantaged"):
    national_key = {"disadvantaged": "pct_expected_non_disadvantaged",
                    "send": "pct_expected_non_send"}[key]  # fmt: skip
    return {
        "groups": {key: {"n": 40, "pct_expected": 32.0, "pct_expected_ci": list(interval)}},
        "national": {national_key: national, f"{national_key}_significance": significance},
    }


@pytest.mark.parametrize(
    ("significance", "words"),
    [
        ("below", "below national (interval 28% to 36% against 81%)"),
        ("above", "above national (interval 28% to 36% against 81%)"),
        ("in_line", "in line with national (interval 28% to 36% against 81%)"),
    ],
)
def test_against_national_the_interval_is_given_with_the_national_figure(significance, words):
    assert national_words(_entry(significance), "disadvantaged") == words


def test_against_national_send_pupils_are_read_against_pupils_without_send():
    entry = _entry("in_line", national=70.0, interval=(34.2, 100.0), key="send")
    assert national_words(entry, "send") == (
        "in line with national (interval 34.2% to 100% against 70%)"
    )
    assert national_words(entry, "disadvantaged") == ""


def test_against_national_nothing_is_said_without_a_figure_or_of_a_withheld_group():
    assert national_words({"groups": {"disadvantaged": {"n": 3}}}, "disadvantaged") == ""
    # No national figure for the window's SEND pupils: the engine gives no significance.
    assert national_words(_entry(None, national=None), "disadvantaged") == ""
    withheld = _entry("below")
    withheld["groups"]["disadvantaged"] = {"pct_expected": None, "pct_expected_ci": None,
                                           "suppressed": True}  # fmt: skip
    assert national_words(withheld, "disadvantaged") == ""
    assert national_words({"groups": {"disadvantaged": None}}, "disadvantaged") == ""


EFFECT = {
    "hedges_g": 0.222,
    "ci_low": -1.05,
    "ci_high": 1.49,
    "months_progress": 3,
    "icc": 0.138,
    "design_effect": 1.552,
    "ci_low_adjusted": -1.36,
    "ci_high_adjusted": 1.8,
    "mdes": 2.206,
}


def test_an_effect_size_is_labelled_with_its_design_interval_months_and_mdes():
    # The MDES 2.206 is above the EEF table's last bound (0.95): 12 months.
    assert effect_size_words(EFFECT, 5) == (
        "Effect size 0.222 (3 months' progress; matched comparison schools, not randomised), "
        "95% confidence interval allowing for schools -1.36 to 1.8: could be chance. "
        "The smallest effect this comparison could have detected is 2.206 "
        "(12 months' progress)."
    )


def test_an_effect_whose_interval_allowing_for_schools_excludes_0_is_unlikely_chance():
    # The unadjusted interval is not the one read: it claims more certainty than schools allow.
    effect = EFFECT | {"hedges_g": 0.08, "months_progress": 1, "ci_low": 0.01, "ci_high": 0.15,
                       "ci_low_adjusted": 0.02, "ci_high_adjusted": 0.14, "mdes": 0.3}  # fmt: skip
    assert effect_size_words(effect, 5) == (
        "Effect size 0.08 (1 month's progress; matched comparison schools, not randomised), "
        "95% confidence interval allowing for schools 0.02 to 0.14: unlikely to be chance. "
        "The smallest effect this comparison could have detected is 0.3 "
        "(4 months' progress)."  # 0.30: above 0.26, up to 0.35: 4 months
    )
    assert "0.01" not in effect_size_words(effect | {"ci_low_adjusted": 0.05}, 5)


def test_an_effect_without_clustering_figures_still_gives_its_design_and_months():
    effect = EFFECT | dict.fromkeys(["icc", "design_effect", "ci_low_adjusted",
                                     "ci_high_adjusted", "mdes"])  # fmt: skip
    assert effect_size_words(effect | {"hedges_g": -0.1, "months_progress": -2}, 5) == (
        "Effect size -0.1 (-2 months' progress; matched comparison schools, not randomised)."
    )


def test_a_withheld_or_missing_effect_size():
    assert effect_size_words({"suppressed": True}, 5) == "Fewer than 5 pupils"
    assert effect_size_words(None, 5) == "–"
    assert effect_size_words({"hedges_g": None}, 5) == "–"


@pytest.mark.parametrize(
    ("count", "words"),
    [(0, "0 months' progress"), (1, "1 month's progress"), (-1, "-1 month's progress"),
     (2, "2 months' progress"), (12, "12 months' progress"), (-3, "-3 months' progress")],
)  # fmt: skip
def test_months_of_progress(count, words):
    assert months(count) == words


def test_each_figure_of_a_series_comes_with_its_interval_or_none():
    assert with_intervals([1, 2, 3], [[0, 2], None, [2, 4]]) == [
        (1, [0, 2]), (2, None), (3, [2, 4])]  # fmt: skip
    assert with_intervals([1, None, 3], [[0, 2]]) == [(1, [0, 2]), (None, None), (3, None)]
    assert with_intervals([1, 2], None) == [(1, None), (2, None)]
    assert with_intervals([], [[0, 1]]) == []


# The pages, from a report of the six pupils of school A and the four of its comparison school
# (tests/evaluation/test_engine.py), every figure shown (threshold 1), against national figures.
@pytest.fixture
def evidence(imported, settings):  # noqa: F811
    national = NationalReference.objects.create(
        name="KS1 2025", academic_year=2025,
        pct_expected_non_disadvantaged=Decimal("95.0"), pct_expected_non_send=Decimal("70.0"),
    )  # fmt: skip
    imported.assessment_windows.update(national_reference=national)
    settings.SUPPRESSION_THRESHOLD = 1
    reports.report_compute(programme_id=imported.pk)
    return imported


def _g(value: float, places: int) -> str:
    return f"{round(value, places) + 0:g}"


def wilson(count: int, n: int) -> str:
    low, high = proportion_confint(count, n, alpha=0.05, method="wilson")
    return f"interval {_g(100 * low, 1)}% to {_g(100 * high, 1)}%"


def gap_change_sentence() -> str:
    """Disadvantaged pupils 1 and 2 against the others: gains of the ahead (other) group minus
    the behind (disadvantaged) group's, by Welch's t interval."""
    gain = {p: v[1] - v[0] for p, v in SCHOOL_1.items()}
    behind = [gain[p] for p, v in SCHOOL_1.items() if v[2]]  # 6, 3
    ahead = [gain[p] for p, v in SCHOOL_1.items() if not v[2]]  # 1, 2, -1, 4
    change = np.mean(ahead) - np.mean(behind)  # 1.5 - 4.5: narrowed by 3
    low, high = stats.ttest_ind(ahead, behind, equal_var=False).confidence_interval(0.95)
    assert change == -3
    assert low < 0 < high
    return (f"the disadvantaged gap narrowed by 3 points (95% confidence interval "
            f"{_g(-high, 2)} to {_g(-low, 2)}): could be chance")  # fmt: skip


def effect_sentence() -> str:
    """Hedges' g of the gains over the pooled SD of the later scores, its interval widened by
    the design effect of the ANOVA ICC of the later scores (two schools), and the MDES."""
    later = [[v[1] for v in SCHOOL_1.values()], [v[1] for v in COMPARISON.values()]]
    gains = [[v[1] - v[0] for v in arm.values()] for arm in (SCHOOL_1, COMPARISON)]
    n1, n2 = map(len, later)
    n, schools = n1 + n2, 2
    pooled = math.sqrt(((n1 - 1) * np.var(later[0], ddof=1) + (n2 - 1) * np.var(later[1], ddof=1))
                       / (n - 2))  # fmt: skip
    g = (1 - 3 / (4 * n - 9)) * (np.mean(gains[0]) - np.mean(gains[1])) / pooled
    se = math.sqrt(n / (n1 * n2) + g**2 / (2 * n))
    # One-way ANOVA: MSB 117.6, MSW 532 / 8 = 66.5, n0 = 10 - 52 / 10 = 4.8.
    grand = np.mean(later[0] + later[1])
    msb = sum(len(s) * (np.mean(s) - grand) ** 2 for s in later) / (schools - 1)
    msw = sum(((np.array(s) - np.mean(s)) ** 2).sum() for s in later) / (n - schools)
    n0 = (n - (n1**2 + n2**2) / n) / (schools - 1)
    icc = (msb - msw) / (msb + (n0 - 1) * msw)
    half = 1.959964 * se * math.sqrt(1 + (n / schools - 1) * icc)
    spread = 0.5 * 0.5 * schools  # one school of two in the programme
    mdes = 2.8 * math.sqrt(icc / spread + (1 - icc) / (spread * n / schools))
    assert (round(icc, 3), round(g, 2)) == (0.138, 0.22)  # 0.22: 3 months; the MDES, 12
    return (f"Effect size {_g(g, 3)} (3 months' progress; matched comparison schools, not "
            f"randomised), 95% confidence interval allowing for schools {_g(g - half, 3)} to "
            f"{_g(g + half, 3)}: could be chance. The smallest effect this comparison could "
            f"have detected is {_g(mdes, 3)} (12 months' progress).")  # fmt: skip


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(response.content.decode().split())


def _read(page: str) -> str:
    """The page's text as a reader sees it ("months' progress", not "months&#x27;")."""
    return html.unescape(page)


# Pupils 1 and 2 are disadvantaged (1 of 2 at the expected standard at both windows, below
# the national 95%); pupils 2 and 5 have SEND (2 of 2, in line with the national 70%).
DISADVANTAGED = f"disadvantaged pupils are below national ({wilson(1, 2)} against 95%)"
SEND = f"SEND pupils are in line with national ({wilson(2, 2)} against 70%)"


def test_the_programme_dashboard_and_funder_report_say_what_the_figures_mean(client, evidence):
    programme = reverse("dashboards:programme", args=[evidence.slug])
    funder = reverse("dashboards:funder_report", args=[evidence.slug])
    for page in (_page(client, programme), _page(client, funder),
                 pdf_html(client, f"{funder}?format=pdf")):  # fmt: skip
        page = _read(page)
        # At both windows; the comparison schools have no disadvantaged or SEND pupils to
        # set against national figures.
        assert page.count(f"programme schools: {DISADVANTAGED}; {SEND}.</li>") == 2
        assert "comparison schools: disadvantaged pupils are" not in page
        assert (f"programme schools: {gap_change_sentence()}. {effect_sentence()}</li>"
                in page)  # fmt: skip


def test_the_school_dashboard_and_governor_report_say_it_of_the_school(client, world, evidence):
    client.force_login(world.governor_a)
    governor = reverse("dashboards:governor_report", args=[world.school_a.urn])
    pages = [
        _page(client, url)
        for url in (reverse("dashboards:school", args=[world.school_a.urn]), governor)
    ]
    for page in pages + [pdf_html(client, f"{governor}?format=pdf")]:
        page = _read(page)
        assert f"Your {DISADVANTAGED}." in page
        # All year groups, and Year 2 (all of them).
        assert f"<li>All year groups: {gap_change_sentence()}.</li>" in page
        assert f"<li>Year 2: {gap_change_sentence()}.</li>" in page
