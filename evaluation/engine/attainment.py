"""Attainment at one window: for every scope and year group, each group's figures, the gaps
and how many of the scope's pupils the window assessed."""

import numpy as np

from . import intervals
from .definitions import GAPS, GROUPS
from .present import Presenter, counts_at, figures, intervals_at
from .rows import WindowRows
from .scopes import Membership, distinct, school_cells, year_of
from .sums import Scale, ScoreCounts, Sums, gap_index
from .threads import each

GROUP_FIELDS = ("n", "mean", "sd", "pct_expected", "pct_higher", "pct_expected_ci")
# The groups compared with a national figure, and its key in the window's national figures.
NATIONAL = {"disadvantaged": "pct_expected_non_disadvantaged", "send": "pct_expected_non_send"}


def attainment(window: WindowRows, memberships: list[Membership], *, national: dict | None,
               threshold: int, year: list[WindowRows], comparison_schools: frozenset
               ) -> list[dict]:  # fmt: skip
    """`year`: the programme's windows of the same academic year (this one among them), whose
    pupils are those the coverage counts."""
    value = window.value()
    scale = Scale(value)
    population = np.flatnonzero(window.population())
    if scale.level is None:  # ranked then: see ranks_within
        population = population[np.argsort(value[population], kind="stable")]
    expected, higher = window.at_expected().astype(float), window.at_higher().astype(float)
    schools, at, cells, cell_count = school_cells(window, population)
    flags = (expected[population], higher[population])
    by_school = Sums.of_rows(cells, cell_count, window.splits(population), value[population], flags)

    counts = None
    if scale.countable(cell_count):  # counted at each score once, then added up per scope
        behind = window.behind(population)
        counts = ScoreCounts(cells, cell_count, scale.level[population], scale.count, behind)

    def measure(membership):
        to_scopes = membership.cells(schools)
        sums = by_school.regrouped(*to_scopes)
        if counts is not None and scale.countable(membership.size):
            return sums, counts.regrouped(*to_scopes).gap_index()
        keys, rows, size = membership.keys(window.year_group, schools, at, population)
        return sums, gap_index(keys, size, scale, rows, window.behind(rows))

    present = Presenter(threshold)
    entries = []
    for membership, (sums, indices) in zip(memberships, each(measure, memberships), strict=True):
        shown = np.flatnonzero(sums.n["all"] > 0)
        pupils = _year_pupils(year, membership) if len(year) > 1 else sums.n["all"]
        columns = _columns(window, sums, indices, shown)
        for j, key in enumerate(shown.tolist()):
            entry = {"scope": membership.scope(key, comparison_schools),
                     "year_group": year_of(key), "window": window.slug,
                     **_entry(present, columns, j, int(pupils[key]))}  # fmt: skip
            if national:
                wilson = {g: [bound[j] for bound in columns["wilson"][g]] for g in NATIONAL}
                entry["national"] = _against_national(national, entry["groups"], wilson)
            entries.append(entry)
    return entries


def _columns(window: WindowRows, sums: Sums, indices: dict, shown: np.ndarray) -> dict:
    """Every figure of every key shown, a list a figure and group; "wilson" holds each
    group's unrounded Wilson interval, which the national comparison reads."""

    def spread(g):  # what Welch's interval reads of a group
        return sums.n[g][shown], sums.mean(g)[shown], sums.sd(g)[shown]

    wilson = {g: intervals.wilson(sums.share(g, 0)[shown], sums.n[g][shown]) for g in GROUPS}

    def gap(ahead, behind, name):
        mean_points = sums.mean(ahead)[shown] - sums.mean(behind)[shown]
        shares = {g: sums.share(g, 0)[shown] for g in (ahead, behind)}
        newcombe = intervals.newcombe(*((shares[g], wilson[g]) for g in (ahead, behind)))
        nothing = [None] * len(shown)
        return {  # from the exact figures, not the rounded ones shown for each group
            "mean_points": figures(mean_points, 2) if window.scored else nothing,
            "pct_expected_points": figures(shares[ahead] - shares[behind], 1),
            "gap_index": figures(indices[name][shown], 2),
            "pct_expected_points_ci": intervals_at(*newcombe, 1),
            "mean_points_ci": intervals_at(*intervals.welch(spread(ahead), spread(behind)), 2)
            if window.scored
            else nothing,
        }

    def group_rows(g):  # each key's figures of group g, in the order of GROUP_FIELDS
        n = sums.n[g][shown]

        def unless(few, measure):  # no figure for a group of too few pupils for it
            return np.where(few, np.nan, measure)

        nothing = [None] * len(shown)
        return list(zip(
            n.astype(int).tolist(),
            figures(unless(n == 0, sums.mean(g)[shown]), 2) if window.scored else nothing,
            figures(unless(n <= 1, sums.sd(g)[shown]), 2) if window.scored else nothing,
            figures(unless(n == 0, sums.share(g, 0)[shown]), 1),
            figures(unless(n == 0, sums.share(g, 1)[shown]), 1),
            intervals_at(*(unless(n == 0, bound) for bound in wilson[g]), 1),
            strict=True,
        ))  # fmt: skip

    return {
        "n": counts_at(sums.n, shown),
        "groups": {g: group_rows(g) for g in GROUPS},
        "wilson": wilson,
        "gaps": {name: gap(ahead, behind, name) for name, (ahead, behind) in GAPS.items()},
    }


def _entry(present: Presenter, columns: dict, j: int, pupils: int) -> dict:
    """The j-th key's groups, gaps and coverage."""
    counts = {g: columns["n"][g][j] for g in GROUPS}
    hidden = present.hidden(counts)
    groups = {
        g: present.withheld(GROUP_FIELDS) if g in hidden
        else dict(zip(GROUP_FIELDS, columns["groups"][g][j], strict=True))
        for g in GROUPS
    }  # fmt: skip
    return {
        "groups": groups,
        "gap": present.gaps(columns["gaps"], j, counts, hidden),
        "coverage": present.coverage(pupils, counts["all"], hidden),
    }


def _year_pupils(year: list[WindowRows], membership: Membership) -> np.ndarray:
    """At each key, the pupils counted at any of the windows of `year`, each once."""
    rows = [(w.pupil[p], w.school[p], w.year_group[p]) for w in year
            for p in [np.flatnonzero(w.population())]]  # fmt: skip
    pupil, school, year_group = (np.concatenate(column) for column in zip(*rows, strict=True))
    schools, at = distinct(school)
    keys, index, size = membership.keys(year_group, schools, at, np.arange(len(pupil)))
    distinct_pairs = np.unique(pupil[index] * size + keys)
    return np.bincount(distinct_pairs % size, minlength=size)


def _against_national(national: dict, groups: dict, wilson: dict) -> dict:
    """How far the disadvantaged (and SEND) pupils are from non-disadvantaged (and non-SEND)
    pupils nationally, in percentage points at the expected standard, and whether the group's
    Wilson interval (unrounded, `wilson`) lies wholly above or below that national figure."""
    result = {"reference": national["name"]}
    for gap, key in NATIONAL.items():
        reference, share = national.get(key), groups[gap]["pct_expected"]
        result[key] = reference
        result[f"{gap}_points"] = (
            None if reference is None or share is None else round(reference - share, 1)
        )
        low, high = wilson[gap]
        result[f"{key}_significance"] = (
            None if reference is None or share is None
            else "above" if low > reference else "below" if high < reference else "in_line"
        )  # fmt: skip
    return result
