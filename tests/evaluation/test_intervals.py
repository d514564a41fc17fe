"""The 95% intervals and the clustering figures of the report (issue 18), each checked through
the report of a small programme against an independent computation: statsmodels for Wilson and
Newcombe, scipy for Welch's t interval and the one-way ANOVA behind the ICC, and the design
effect and minimum detectable effect size worked out by hand from their formulas."""

import dataclasses
import math

import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from evaluation.engine import definitions
from tests.evaluation.test_engine_reference import engine_report, programme_of, row
from tests.reference.model import Window

Z = 1.959964


def shown(exact: float, places: int) -> set[float]:
    """The roundings a report may show for exact: statsmodels and scipy use the normal
    quantile to all its places, the report z = 1.959964, so a hair either way is allowed."""
    return {round(exact + nudge, places) for nudge in (-1e-7, 0.0, 1e-7)}


def assert_interval(interval, exact: tuple[float, float], places: int):
    assert interval is not None
    assert len(interval) == 2
    assert interval[0] in shown(exact[0], places), (interval, exact)
    assert interval[1] in shown(exact[1], places), (interval, exact)


def entry(entries: list[dict], scope_type: str, year_group, *windows) -> dict:
    for found in entries:
        at = (found["window"],) if "window" in found else (found["from"], found["to"])
        if (found["scope"]["type"], found["year_group"], *at) == (scope_type, year_group, *windows):
            return found
    raise AssertionError(f"no entry {scope_type} {year_group} {windows}")


def window(slug, rows, year=2025, national=None) -> Window:
    return Window(slug, year, 100, 110, tuple(rows), national)


def one_window(rows, threshold=1, national=None) -> dict:
    """The programme entry (all year groups) of one window with these rows at school 1."""
    report = engine_report(programme_of([window("a", rows, national=national)], (), threshold))
    return entry(report.attainment, "programme", None, "a")


# Pupils as (score, disadvantaged): groups of 1 to 4, at expected or not, all equal or spread.
CLASSES = {
    "one disadvantaged pupil": [(96, 1), (101, 0), (104, 0)],
    "two disadvantaged pupils": [(96, 1), (103, 1), (99, 0), (100, 0), (112, 0)],
    "three, all at expected": [(100, 1), (105, 1), (110, 1), (90, 0), (101, 0)],
    "none at expected": [(90, 1), (95, 1), (91, 0), (99, 0), (97, 0), (92, 0)],
    "equal scores": [(104, 1), (104, 1), (104, 0), (104, 0)],
    "larger": [(s, d) for s, d in zip(range(88, 118, 2), [1, 0, 0] * 5, strict=True)],
}


def class_rows(pupils):
    return [row(i, 1, score, disadvantaged=bool(d)) for i, (score, d) in enumerate(pupils, 1)]


@pytest.mark.parametrize("pupils", CLASSES.values(), ids=CLASSES.keys())
def test_each_groups_share_at_expected_has_its_wilson_interval(pupils):
    groups = one_window(class_rows(pupils))["groups"]
    for name, members in (
        ("all", pupils),
        ("disadvantaged", [p for p in pupils if p[1]]),
        ("other", [p for p in pupils if not p[1]]),
    ):
        count = sum(1 for score, _ in members if score >= 100)
        low, high = proportion_confint(count, len(members), alpha=0.05, method="wilson")
        assert_interval(groups[name]["pct_expected_ci"], (100 * low, 100 * high), 1)
    assert groups["send"]["pct_expected_ci"] is None  # no SEND pupils


@pytest.mark.parametrize("pupils", CLASSES.values(), ids=CLASSES.keys())
def test_the_gap_at_expected_has_newcombes_interval(pupils):
    gap = one_window(class_rows(pupils))["gap"]["disadvantaged"]
    ahead = [s for s, d in pupils if not d]
    behind = [s for s, d in pupils if d]
    low, high = confint_proportions_2indep(
        sum(1 for s in ahead if s >= 100),
        len(ahead),
        sum(1 for s in behind if s >= 100),
        len(behind),
        method="newcomb",
        compare="diff",
        alpha=0.05,
    )
    assert_interval(gap["pct_expected_points_ci"], (100 * low, 100 * high), 1)


@pytest.mark.parametrize("pupils", CLASSES.values(), ids=CLASSES.keys())
def test_the_gap_in_points_has_welchs_interval(pupils):
    gap = one_window(class_rows(pupils))["gap"]["disadvantaged"]
    ahead = [s for s, d in pupils if not d]
    behind = [s for s, d in pupils if d]
    if len(behind) < 2 or len(ahead) < 2 or len(set(ahead)) == len(set(behind)) == 1:
        assert gap["mean_points_ci"] is None  # too few pupils, or no spread (se 0)
        assert gap["mean_points"] is not None
        return
    found = stats.ttest_ind(ahead, behind, equal_var=False).confidence_interval(0.95)
    assert_interval(gap["mean_points_ci"], (found.low, found.high), 2)


def test_a_withheld_group_and_its_gap_have_no_intervals():
    entry_ = one_window(class_rows(CLASSES["two disadvantaged pupils"]), threshold=3)
    for name in ("disadvantaged", "other"):  # other is withheld with its pair
        assert entry_["groups"][name]["suppressed"] is True
        assert entry_["groups"][name]["pct_expected_ci"] is None
    gap = entry_["gap"]["disadvantaged"]
    assert gap["suppressed"] is True
    assert (gap["pct_expected_points_ci"], gap["mean_points_ci"]) == (None, None)
    assert entry_["groups"]["all"]["pct_expected_ci"] is not None


@pytest.mark.parametrize("reference", [20.0, 50.0, 95.0])
def test_against_national_the_wilson_interval_decides(reference):
    pupils = CLASSES["larger"]
    national = {
        "name": "National 2025",
        "pct_expected_non_disadvantaged": reference,
        "pct_expected_non_send": 60.0,
    }
    figures = one_window(class_rows(pupils), national=national)["national"]
    behind = [s for s, d in pupils if d]
    low, high = proportion_confint(
        sum(1 for s in behind if s >= 100), len(behind), alpha=0.05, method="wilson"
    )
    expected = "above" if 100 * low > reference else "below" if 100 * high < reference else None
    assert figures["pct_expected_non_disadvantaged_significance"] == (expected or "in_line")
    assert figures["pct_expected_non_send_significance"] is None  # no SEND pupils


# Two windows: pupil: (school, score at a, score at b, disadvantaged); school 2 compares.
MATCHED = {
    1: (1, 96, 101, 1), 2: (1, 100, 102, 1), 3: (1, 103, 109, 0), 4: (1, 99, 100, 0),
    5: (3, 92, 99, 1), 6: (3, 110, 111, 0), 7: (3, 101, 107, 0), 8: (3, 97, 99, 1),
    11: (2, 95, 96, 0), 12: (2, 101, 100, 1), 13: (2, 104, 108, 0), 14: (2, 90, 93, 0),
}  # fmt: skip


def two_windows(pupils=MATCHED, enrolled=(1, 3), comparison=(2,)):
    windows = [
        window(slug, [row(p, v[0], v[column], bool(v[3])) for p, v in pupils.items()])
        for slug, column in (("a", 1), ("b", 2))
    ]
    report = engine_report(programme_of(windows, comparison, 1, enrolled))
    return entry(report.progress, "programme", None, "a", "b")


def test_the_gap_change_has_welchs_interval_of_the_gains():
    change = two_windows()["gap_change"]["disadvantaged"]
    ours = [v for v in MATCHED.values() if v[0] != 2]
    ahead = [b - a for _, a, b, d in ours if not d]
    behind = [b - a for _, a, b, d in ours if d]
    found = stats.ttest_ind(ahead, behind, equal_var=False).confidence_interval(0.95)
    assert_interval(change["mean_points_ci"], (found.low, found.high), 2)


def hedges(ours: list, theirs: list) -> tuple[float, float]:
    """Hedges' g of the gains over the pooled SD of the later scores, and its standard error."""
    n1, n2 = len(ours), len(theirs)
    pooled = ((n1 - 1) * stats.tvar([b for _, b in ours]) + (n2 - 1) * stats.tvar(
        [b for _, b in theirs])) / (n1 + n2 - 2)  # fmt: skip
    gain = [sum(b - a for a, b in arm) / len(arm) for arm in (ours, theirs)]
    g = (1 - 3 / (4 * (n1 + n2) - 9)) * (gain[0] - gain[1]) / math.sqrt(pooled)
    return g, math.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))


def clustering(pupils: dict, enrolled: tuple) -> dict:
    """ICC from scipy's one-way ANOVA of the later scores by school, then design effect,
    adjusted interval and MDES by hand."""
    by_school = {}
    for school, _, later, _ in pupils.values():
        by_school.setdefault(school, []).append(later)
    sizes = [len(scores) for scores in by_school.values()]
    n, j = sum(sizes), len(sizes)
    n0 = (n - sum(k * k for k in sizes) / n) / (j - 1)
    f = stats.f_oneway(*by_school.values()).statistic
    icc = max(0.0, (f - 1) / (f + n0 - 1))
    design_effect = 1 + (n / j - 1) * icc
    share = sum(1 for school in by_school if school in enrolled) / j
    spread = share * (1 - share) * j
    mdes = 2.8 * math.sqrt(icc / spread + (1 - icc) / (spread * n / j))
    arms = [[(v[1], v[2]) for v in pupils.values() if (v[0] in enrolled) == side]
            for side in (True, False)]  # fmt: skip
    g, se = hedges(*arms)
    half = Z * se * math.sqrt(design_effect)
    return {"icc": icc, "design_effect": design_effect, "ci_low_adjusted": g - half,
            "ci_high_adjusted": g + half, "mdes": mdes, "ci_low": g - Z * se}  # fmt: skip


@pytest.mark.parametrize(
    "comparison",
    [{}, {21: (2, 98, 104, 0), 22: (2, 96, 95, 0), 23: (2, 107, 108, 0)}],
    ids=["one comparison school", "more pupils there"],
)
def test_the_effect_size_has_icc_design_effect_adjusted_interval_and_mdes(comparison):
    pupils = MATCHED | comparison
    effect = two_windows(pupils)["effect_size"]["all"]
    for key, exact in clustering(pupils, (1, 3)).items():
        assert effect[key] in shown(exact, 3), (key, effect[key], exact)


def test_comparison_schools_of_one_pupil_each_leave_no_icc():
    """Two programme schools and two comparison schools of one matched pupil each: no pupil
    shares a school, so there is no within-school spread (N - J = 0)."""
    pupils = {1: (1, 96, 101, 0), 2: (3, 100, 104, 0), 3: (2, 95, 96, 0), 4: (4, 101, 100, 0)}
    windows = [
        window(slug, [row(p, v[0], v[column]) for p, v in pupils.items()])
        for slug, column in (("a", 1), ("b", 2))
    ]
    programme = programme_of(windows, (2, 4), 1, (1, 3))
    names = programme.school_names | {4: "School 4"}
    report = engine_report(dataclasses.replace(programme, school_names=names))
    effect = entry(report.progress, "programme", None, "a", "b")["effect_size"]["all"]
    assert effect["hedges_g"] is not None
    for key in ("icc", "design_effect", "ci_low_adjusted", "ci_high_adjusted", "mdes"):
        assert effect[key] is None, key


@pytest.mark.parametrize(
    ("icc", "share", "schools", "pupils"), [(0.15, 0.5, 40, 25.0), (0.05, 0.25, 12, 17.5)]
)
def test_mdes_of_a_planned_design(icc, share, schools, pupils):
    spread = share * (1 - share) * schools
    by_hand = 2.8 * math.sqrt(icc / spread + (1 - icc) / (spread * pupils))
    assert definitions.mdes(icc, share, schools, pupils) == pytest.approx(by_hand, rel=1e-12)


@pytest.mark.parametrize(
    ("share", "schools", "pupils"), [(0.5, 1, 25.0), (0.0, 20, 25.0), (1.0, 20, 25.0), (0.5, 20, 0)]
)
def test_mdes_of_an_impossible_design_is_none(share, schools, pupils):
    assert definitions.mdes(0.1, share, schools, pupils) is None
