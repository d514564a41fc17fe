"""Every figure checked against values worked out by hand (in the comments) for six pupils at
school 1 and four at a comparison school, all in Year 2."""

from math import sqrt

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

from evaluation import engine

# pupil: (window A score, window B score, disadvantaged, SEND)
SCHOOL_1 = {
    1: (90, 96, 1, 0),
    2: (100, 103, 1, 1),
    3: (100, 101, 0, 0),
    4: (110, 112, 0, 0),
    5: (120, 119, 0, 1),
    6: (95, 99, 0, 0),
}
COMPARISON = {11: (90, 91), 12: (100, 100), 13: (105, 107), 14: (95, 94)}


def window(slug: str, column: int, *, comparison=True, codes=None) -> engine.WindowRows:
    pupils = [(p, 1, values[column], values[2], values[3]) for p, values in SCHOOL_1.items()]
    if comparison:
        pupils += [(p, 2, values[column], 0, 0) for p, values in COMPARISON.items()]
    n = len(pupils)
    score = np.array([float(p[2]) for p in pupils]) if codes is None else np.full(n, np.nan)
    return engine.WindowRows(
        slug=slug,
        expected=100,
        higher=110,
        pupil=np.array([p[0] for p in pupils]),
        school=np.array([p[1] for p in pupils]),
        year_group=np.full(n, 2),
        score=score,
        code=np.array(codes if codes is not None else [0] * n),
        disadvantaged=np.array([bool(p[3]) for p in pupils]),
        send=np.array([bool(p[4]) for p in pupils]),
        eal=np.full(n, -1),
        gender=np.array([1, 2] * (n // 2) + [1] * (n % 2)),
    )


MEMBERSHIPS = [
    engine.Membership("programme", [(7, "Programme")], [[1]]),
    engine.Membership("comparison", [(7, "Comparison")], [[2]]),
    engine.Membership("school", [(1, "School 1"), (2, "School 2")], [[1], [2]]),
]


def _find(entries, scope_type, year_group=None, scope_id=None):
    return next(
        e
        for e in entries
        if e["scope"]["type"] == scope_type
        and e["year_group"] == year_group
        and (scope_id is None or e["scope"]["id"] == scope_id)
    )


@pytest.fixture
def report():
    return engine.build([window("a", 0), window("b", 1)], MEMBERSHIPS, {}, threshold=1)


def test_it_describes_each_group(report):
    entry = _find(report.attainment, "programme")
    assert entry["window"] == "a"
    groups = entry["groups"]
    # all: 90, 100, 100, 110, 120, 95: mean 615 / 6; squared deviations add to 587.5.
    assert groups["all"] == {
        "n": 6,
        "mean": 102.5,
        "sd": round(sqrt(587.5 / 5), 2),
        "pct_expected": 66.7,
        "pct_higher": 33.3,
        "pct_expected_ci": [30.0, 90.3],  # Wilson for 4 of 6, as statsmodels gives it
    }
    # disadvantaged: 90 and 100; other: 100, 110, 120, 95.
    assert groups["disadvantaged"] == {
        "n": 2,
        "mean": 95.0,
        "sd": 7.07,
        "pct_expected": 50.0,
        "pct_higher": 0.0,
        "pct_expected_ci": [9.5, 90.5],  # Wilson for 1 of 2
    }
    assert groups["other"] == {
        "n": 4,
        "mean": 106.25,
        "sd": round(sqrt(368.75 / 3), 2),
        "pct_expected": 75.0,
        "pct_higher": 50.0,
        "pct_expected_ci": [30.1, 95.4],  # Wilson for 3 of 4
    }
    assert groups["send"]["mean"] == 110.0
    assert groups["non_send"]["mean"] == 98.75
    # EAL is not known for anyone: the groups are empty, not zero.
    assert groups["eal"] == {
        "n": 0,
        "mean": None,
        "sd": None,
        "pct_expected": None,
        "pct_higher": None,
        "pct_expected_ci": None,
    }
    assert groups["female"]["n"] == 3
    assert groups["male"]["n"] == 3


def test_it_measures_the_gaps(report):
    gap = _find(report.attainment, "programme")["gap"]
    # Ranks: 90 -> 1, 95 -> 2, 100 and 100 -> 3.5, 110 -> 5, 120 -> 6; p = (rank - 0.5) / 6.
    p = {90: 0.5 / 6, 95: 1.5 / 6, 100: 3 / 6, 110: 4.5 / 6, 120: 5.5 / 6}
    disadvantaged = (p[90] + p[100]) / 2
    other = (p[100] + p[110] + p[120] + p[95]) / 4
    # Others 100, 110, 120, 95 (3 of 4 at expected) ahead of disadvantaged 90, 100 (1 of 2).
    welch = stats.ttest_ind([100, 110, 120, 95], [90, 100], equal_var=False)
    newcombe = confint_proportions_2indep(3, 4, 1, 2, method="newcomb", compare="diff")
    assert gap["disadvantaged"] == {
        "mean_points": 11.25,
        "pct_expected_points": 25.0,
        "gap_index": round(20 * (other - disadvantaged), 2),
        "pct_expected_points_ci": [round(100 * bound, 1) for bound in newcombe],
        "mean_points_ci": [round(bound, 2) for bound in welch.confidence_interval()],
    }
    assert gap["disadvantaged"]["gap_index"] == 6.25
    # SEND pupils (100, 120) are ahead of the others here: the gaps are negative.
    assert {k: gap["send"][k] for k in ("mean_points", "pct_expected_points", "gap_index")} == {
        "mean_points": -11.25,
        "pct_expected_points": -50.0,
        "gap_index": -6.25,
    }


def test_it_splits_by_school_and_year_group(report):
    school = _find(report.attainment, "school", year_group=2, scope_id=1)
    assert school["groups"]["all"]["mean"] == 102.5
    comparison = _find(report.attainment, "comparison")
    assert comparison["groups"]["all"]["mean"] == 97.5  # (90 + 100 + 105 + 95) / 4
    scopes = {(e["scope"]["type"], e["scope"]["id"], e["year_group"]) for e in report.attainment}
    assert scopes == {
        ("programme", 7, None),
        ("programme", 7, 2),
        ("comparison", 7, None),
        ("comparison", 7, 2),
        ("school", 1, None),
        ("school", 1, 2),
        ("school", 2, None),
        ("school", 2, 2),
    }


def test_it_measures_progress_and_the_change_in_gaps(report):
    entry = _find(report.progress, "programme")
    assert (entry["from"], entry["to"], entry["n_matched"]) == ("a", "b", 6)
    # Gains: +6, +3, +1, +2, -1, +4.
    assert entry["groups"]["all"] == {"n": 6, "mean_gain": 2.5}
    assert entry["groups"]["disadvantaged"] == {"n": 2, "mean_gain": 4.5}
    assert entry["groups"]["other"] == {"n": 4, "mean_gain": 1.5}
    # At B the gap is 107.75 - 99.5 = 8.25 points (11.25 at A); 25 points at expected both
    # times; no ties at B, so p = 0.5/6 ... 5.5/6 in the order 96, 99, 101, 103, 112, 119.
    index_b = 20 * ((2.5 + 4.5 + 5.5 + 1.5) / 6 / 4 - (0.5 + 3.5) / 6 / 2)
    # Welch: other's gains 1, 2, -1, 4 (variance 13 / 3), disadvantaged's 6, 3 (4.5).
    v1, v2 = 13 / 3 / 4, 4.5 / 2
    df = (v1 + v2) ** 2 / (v1**2 / 3 + v2**2 / 1)
    half = stats.t.ppf(0.975, df) * sqrt(v1 + v2)
    assert entry["gap_change"]["disadvantaged"] == {
        "mean_points": -3.0,
        "pct_expected_points": 0.0,
        "gap_index": round(index_b - 6.25, 2),
        "mean_points_ci": [round(-3 - half, 2), round(-3 + half, 2)],
    }


def test_it_gives_the_effect_size_against_the_comparison_schools(report):
    effect = _find(report.progress, "programme")["effect_size"]["all"]
    # Programme: 6 pupils, mean gain 2.5, later scores' variance 382 / 5.
    # Comparison: 4 pupils, gains 1, 0, 2, -1 (mean 0.5), later scores' variance 150 / 3.
    pooled = sqrt((5 * 382 / 5 + 3 * 150 / 3) / 8)
    g = (1 - 3 / (4 * 10 - 9)) * (2.5 - 0.5) / pooled
    half = 1.959964 * sqrt(10 / 24 + g**2 / 20)
    assert {k: effect[k] for k in list(effect)[:6]} == {
        "hedges_g": round(g, 3),
        "ci_low": round(g - half, 3),
        "ci_high": round(g + half, 3),
        "months_progress": 3,
        "n_programme": 6,
        "n_comparison": 4,
    }
    assert round(g, 2) == 0.22
    # No comparison pupil is disadvantaged or has SEND: no effect size for those groups.
    assert _find(report.progress, "programme")["effect_size"]["disadvantaged"] is None
    # Comparison schools are not compared with themselves.
    assert _find(report.progress, "comparison")["effect_size"] is None
    assert _find(report.progress, "school", scope_id=2)["effect_size"] is None


def test_a_programme_without_comparison_schools_has_no_effect_size():
    report = engine.build(
        [window("a", 0, comparison=False), window("b", 1, comparison=False)],
        MEMBERSHIPS[:1],
        {},
        threshold=1,
    )
    entry = _find(report.progress, "programme")
    assert entry["effect_size"] is None
    assert entry["groups"]["all"]["mean_gain"] == 2.5


@pytest.mark.parametrize(
    ("g", "months"),
    [
        (0.0, 0),
        (0.01, 0),
        (0.014, 0),
        (0.016, 1),
        (0.09, 1),
        (0.1, 2),
        (0.26, 3),
        (0.35, 4),
        (0.44, 5),
        (0.52, 6),
        (0.61, 7),
        (0.69, 8),
        (0.78, 9),
        (0.87, 10),
        (0.95, 11),
        (0.96, 12),
        (1.4, 12),
        (-0.22, -3),
        (-0.96, -12),
    ],
)
def test_it_converts_effect_sizes_to_months_as_the_eef_toolkit_does(g, months):
    assert engine.months_progress(g) == months


def test_it_withholds_figures_about_fewer_than_five_pupils():
    report = engine.build([window("a", 0), window("b", 1)], MEMBERSHIPS, {}, threshold=5)
    entry = _find(report.attainment, "programme")
    assert entry["groups"]["all"]["n"] == 6
    # 2 disadvantaged pupils: withheld, and so are the 4 others, who would give them away.
    for group in ("disadvantaged", "other", "send", "non_send"):
        assert entry["groups"][group] == {
            "n": None,
            "mean": None,
            "sd": None,
            "pct_expected": None,
            "pct_higher": None,
            "pct_expected_ci": None,
            "suppressed": True,
        }, group
    assert entry["gap"]["disadvantaged"]["suppressed"] is True
    assert entry["gap"]["disadvantaged"]["gap_index"] is None
    # The comparison school has 4 pupils: everything about it is withheld.
    comparison = _find(report.attainment, "comparison")
    assert all(group.get("suppressed") for group in comparison["groups"].values())
    progress = _find(report.progress, "programme")
    assert progress["effect_size"]["all"] == {"suppressed": True}
    assert progress["gap_change"]["disadvantaged"]["suppressed"] is True
    assert _find(report.progress, "comparison")["n_matched"] is None


def test_it_reads_teacher_assessments_when_a_window_has_no_scores():
    codes = [2, 3, 3, 4, 4, 1, 3, 2, 3, 3]  # WTS EXS EXS GDS GDS PKF | comparison
    report = engine.build([window("ta", 0, codes=codes)], MEMBERSHIPS, {}, threshold=1)
    entry = _find(report.attainment, "programme")
    groups = entry["groups"]
    assert groups["all"]["mean"] is None
    assert (groups["all"]["pct_expected"], groups["all"]["pct_higher"]) == (66.7, 33.3)
    # No points gap without scores; at the expected standard, 3 of 4 others, 1 of 2 behind.
    gap = entry["gap"]["disadvantaged"]
    assert (gap["mean_points"], gap["pct_expected_points"]) == (None, 25.0)
    assert report.progress == []


def test_it_compares_with_national_figures(report):
    national = {
        "a": {
            "name": "KS2 2024",
            "pct_expected_non_disadvantaged": 80.0,
            "pct_expected_non_send": 70.0,
        }
    }
    report = engine.build([window("a", 0)], MEMBERSHIPS, national, threshold=1)
    entry = _find(report.attainment, "programme")
    assert entry["national"] == {
        "reference": "KS2 2024",
        "pct_expected_non_disadvantaged": 80.0,
        "disadvantaged_points": 30.0,
        "pct_expected_non_send": 70.0,
        "send_points": -30.0,
        # 1 of 2 disadvantaged (Wilson 9.5% to 90.5%), 2 of 2 SEND (34.2% to 100%): both
        # intervals hold the national figure.
        "pct_expected_non_disadvantaged_significance": "in_line",
        "pct_expected_non_send_significance": "in_line",
    }


def test_sums_of_schools_add_up_to_those_of_every_scope_a_school_is_in():
    """Sums are taken once per school and year group, then added up to each scope: they
    agree with sums taken straight over each scope's pupils, with a school in two work groups,
    one in none, and a scope with no pupils."""
    rng = np.random.default_rng(11)
    n = 400
    school = rng.choice([3, 8, 21, 40], n)
    year = rng.integers(0, 14, n)
    value = rng.integers(80, 121, n).astype(float)
    flag = (value >= 100).astype(float)
    disadvantaged = rng.random(n) < 0.3
    splits = [(None, {"all": 0}), (disadvantaged, {"other": 0, "disadvantaged": 1})]
    work_groups = engine.Membership(
        "work_group", [(1, "A"), (2, "B"), (3, "C")], [[3, 8], [8, 21], [99]]
    )
    schools, at = np.unique(school, return_inverse=True)
    by_school = engine.Sums.of_rows(at * engine.YEARS + year, len(schools) * engine.YEARS,
                                    splits, value, (flag,))  # fmt: skip
    summed = by_school.regrouped(*work_groups.cells(schools))

    rows, number = work_groups.rows(schools, at, np.arange(n))
    keys = np.concatenate([number * engine.YEARS + year[rows],
                           number * engine.YEARS + engine.ALL_YEARS])  # fmt: skip
    rows = np.concatenate([rows, rows])
    direct = engine.Sums.of_rows(
        keys, 3 * engine.YEARS, [(None, {"all": 0}), (disadvantaged[rows], splits[1][1])],
        value[rows], (flag[rows],),
    )  # fmt: skip
    for group in ("all", "disadvantaged", "other"):
        np.testing.assert_allclose(summed.n[group], direct.n[group])
        np.testing.assert_allclose(summed.mean(group), direct.mean(group), equal_nan=True)
        np.testing.assert_allclose(summed.sd(group), direct.sd(group), equal_nan=True)
        np.testing.assert_allclose(summed.share(group, 0), direct.share(group, 0), equal_nan=True)
    # Work group B's pupils in all year groups: by hand, those of schools 8 and 21.
    in_b = np.isin(school, [8, 21])
    assert summed.n["all"][1 * engine.YEARS + engine.ALL_YEARS] == in_b.sum()
    assert summed.mean("all")[1 * engine.YEARS + engine.ALL_YEARS] == pytest.approx(
        value[in_b].mean()
    )
    assert summed.n["all"][2 * engine.YEARS : 3 * engine.YEARS].sum() == 0
    # ... and its disadvantaged pupils, with the mean of their scores.
    b_disadvantaged = in_b & disadvantaged
    key = 1 * engine.YEARS + engine.ALL_YEARS
    assert summed.n["disadvantaged"][key] == b_disadvantaged.sum()
    assert summed.n["other"][key] == (in_b & ~disadvantaged).sum()
    assert summed.mean("disadvantaged")[key] == pytest.approx(value[b_disadvantaged].mean())


@pytest.mark.parametrize("largest", [40, 1 << 22], ids=["small ids", "large ids"])
def test_distinct_ids_agree_with_numpy_unique(largest):
    ids = np.random.default_rng(3).choice([3, 8, 21, largest], 500)
    expected_values, expected_inverse = np.unique(ids, return_inverse=True)
    values, inverse = engine.distinct(ids)
    assert values.tolist() == expected_values.tolist() == [3, 8, 21, largest]
    assert inverse.tolist() == expected_inverse.tolist()


@pytest.mark.parametrize(
    "school_ids",
    [[[3], [8, 21]], [[3, 8], [8, 21], [99]]],
    ids=["each school in one scope", "a school in two scopes"],
)
def test_membership_gives_each_row_once_per_scope_its_school_is_in(school_ids):
    rng = np.random.default_rng(5)
    school = rng.choice([3, 8, 21, 40], 200)
    index = rng.permutation(200)[:150]
    membership = engine.Membership("work_group", [(n, "") for n in range(len(school_ids))],
                                   school_ids)  # fmt: skip
    schools, at = np.unique(school[index], return_inverse=True)
    rows, number = membership.rows(schools, at, index)
    expected = sorted(
        (int(row), scope)
        for row in index
        for scope, ids in enumerate(school_ids)
        if school[row] in ids
    )
    assert sorted(zip(rows.tolist(), number.tolist(), strict=True)) == expected
