"""The attainment figures of a programme, straight from the definitions of the method page
("Who is counted", "For each group", "The gaps", "Small groups") and the report contract in
the README, plus coverage. Numbers are exact (Fraction) until they are rounded for show."""

import math
from fractions import Fraction
from statistics import mean, variance

from .groups import GAPS, GROUPS, gap_index, gap_state, split, withheld
from .intervals import interval, newcombe, welch, wilson
from .model import EXS, GDS, Programme, Row, Scope, Window, in_key, keys
from .rounding import Figure, derived, rounded

FIGURES = ("mean", "sd", "pct_expected", "pct_higher", "pct_expected_ci")
GAP_FIGURES = (
    "mean_points",
    "pct_expected_points",
    "gap_index",
    "pct_expected_points_ci",
    "mean_points_ci",
)


def at_expected(row: Row, window: Window) -> bool:
    """At or above the expected standard: by score in a scored window, else EXS or GDS."""
    if window.scored:
        return row.score >= window.expected
    return row.code in (EXS, GDS)


def at_higher(row: Row, window: Window) -> bool:
    if window.scored:
        return row.score >= window.higher
    return row.code == GDS


def value(row: Row, window: Window):
    """What pupils are put in order by for the gap index: the score, or the code's order."""
    return row.score if window.scored else row.code


def percentage(rows: list[Row], test) -> Fraction:
    return Fraction(100 * sum(1 for row in rows if test(row)), len(rows))


def describe(rows: list[Row], window: Window) -> dict:
    """n, mean, sd (sample), % at expected and at higher of one group; n 0 gives nulls."""
    if not rows:
        return {"n": 0} | dict.fromkeys(FIGURES)
    scores = [row.score for row in rows]
    scored = window.scored
    return {
        "n": len(rows),
        "mean": rounded(mean(scores), 2) if scored else None,
        "sd": rounded(math.sqrt(variance(scores)), 2) if scored and len(rows) > 1 else None,
        "pct_expected": rounded(percentage(rows, lambda r: at_expected(r, window)), 1),
        "pct_higher": rounded(percentage(rows, lambda r: at_higher(r, window)), 1),
        "pct_expected_ci": interval(wilson(*expected_count(rows, window)), 1, 100),
    }


def expected_count(rows: list[Row], window: Window) -> tuple[int, int]:
    """(pupils at the expected standard, pupils) of a group."""
    return sum(1 for row in rows if at_expected(row, window)), len(rows)


def withheld_group(figures=FIGURES) -> dict:
    return {"n": None} | dict.fromkeys(figures) | {"suppressed": True}


def gap(name: str, rows: list[Row], window: Window, counts: dict, hidden: set) -> dict:
    """Points, percentage points at expected and gap index: the group ahead (other, non-SEND)
    minus the group that may be behind (disadvantaged, SEND), over the rows of one key."""
    state = gap_state(name, counts, hidden)
    if state == "withheld":
        return dict.fromkeys(GAP_FIGURES) | {"suppressed": True}
    if state == "empty":
        return dict.fromkeys(GAP_FIGURES)
    behind, ahead = (GROUPS[group] for group in GAPS[name])
    behind_rows = [row for row in rows if behind(row)]
    ahead_rows = [row for row in rows if ahead(row)]
    points = spread = None
    if window.scored:
        points = mean(r.score for r in ahead_rows) - mean(r.score for r in behind_rows)
        spread = welch([r.score for r in ahead_rows], [r.score for r in behind_rows])
    shares = newcombe(expected_count(ahead_rows, window), expected_count(behind_rows, window))
    expected = lambda r: at_expected(r, window)  # noqa: E731
    index = gap_index(
        [value(row, window) for row in rows],
        [behind(row) for row in rows],
        [ahead(row) for row in rows],
    )
    return {
        "mean_points": None if points is None else rounded(points, 2),
        "pct_expected_points": rounded(
            percentage(ahead_rows, expected) - percentage(behind_rows, expected), 1
        ),
        "gap_index": rounded(index, 2),
        "pct_expected_points_ci": interval(shares, 1, 100),
        "mean_points_ci": interval(spread, 2),
    }


def national_points(reference, shown_pct: Figure | None) -> Figure | None:
    """The national reference minus the share shown for the group (null if none shown)."""
    if shown_pct is None:
        return None
    return derived(
        shown_pct, lambda pct: rounded(Fraction(str(reference)) - Fraction(str(pct)), 1).shown
    )


def significance(rows: list[Row] | None, window: Window, reference) -> str | None:
    """Where the group's Wilson interval lies against the national figure (null if the group
    is withheld or has no pupils, or there is no national figure)."""
    if not rows or reference is None:
        return None
    low, high = (100 * bound for bound in wilson(*expected_count(rows, window)))
    return "above" if low > reference else "below" if high < reference else "in_line"


def national(window: Window, groups: dict, shown_rows: dict) -> dict:
    reference = window.national
    non_disadvantaged = reference["pct_expected_non_disadvantaged"]
    non_send = reference["pct_expected_non_send"]
    return {
        "reference": reference["name"],
        "pct_expected_non_disadvantaged": non_disadvantaged,
        "disadvantaged_points": national_points(
            non_disadvantaged, groups["disadvantaged"]["pct_expected"]
        ),
        "pct_expected_non_send": non_send,
        "send_points": national_points(non_send, groups["send"]["pct_expected"]),
        "pct_expected_non_disadvantaged_significance": significance(
            shown_rows.get("disadvantaged"), window, non_disadvantaged
        ),
        "pct_expected_non_send_significance": significance(
            shown_rows.get("send"), window, non_send
        ),
    }


def counted_in_year(programme: Programme, academic_year: int) -> list[Row]:
    """The rows counted at every window of an academic year."""
    return [
        row
        for window in programme.windows
        if window.academic_year == academic_year
        for row in window.counted()
    ]


def coverage(programme: Programme, window: Window, scope: Scope, year_group, n: int) -> dict:
    """Pupils of the key counted at any window of this window's academic year, and how many of
    them were counted at this one."""
    pupils = {row.pupil for row in counted_in_year(programme, window.academic_year)
              if in_key(row, scope, year_group)}  # fmt: skip
    return {"pupils": len(pupils), "assessed": n}


def attainment_entry(programme: Programme, window: Window, scope: Scope, year_group) -> dict:
    rows = [row for row in window.counted() if in_key(row, scope, year_group)]
    by_group = split(rows)
    counts = {name: len(group_rows) for name, group_rows in by_group.items()}
    hidden = withheld(counts, programme.threshold)
    groups = {
        name: withheld_group() if name in hidden else describe(by_group[name], window)
        for name in GROUPS
    }
    entry = {
        "scope": scope.as_json(),
        "year_group": year_group,
        "window": window.slug,
        "groups": groups,
        "gap": {name: gap(name, rows, window, counts, hidden) for name in GAPS},
    }
    if window.national is not None:
        shown_rows = {name: rows for name, rows in by_group.items() if name not in hidden}
        entry["national"] = national(window, groups, shown_rows)
    if "all" in hidden:
        entry["coverage"] = {"pupils": None, "assessed": None, "suppressed": True}
    else:
        entry["coverage"] = coverage(programme, window, scope, year_group, counts["all"])
    return entry


def attainment(programme: Programme) -> dict[tuple, dict]:
    """Every attainment entry, by (scope type, scope id, year group, window): one for each
    scope, year group (and all year groups) and window where at least one pupil is counted."""
    entries = {}
    for window in programme.windows:
        for scope in programme.scopes():
            for year_group in keys():
                if any(in_key(row, scope, year_group) for row in window.counted()):
                    key = (scope.type, scope.id, year_group, window.slug)
                    entries[key] = attainment_entry(programme, window, scope, year_group)
    return entries
