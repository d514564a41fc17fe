"""The one way pages and PDFs show a report's figures where some may be withheld, in the
words of evaluation.selectors (which downloads use too), at the report's own threshold."""

from django import template

from evaluation.engine.definitions import months_progress
from evaluation.selectors import too_few as too_few_words
from evaluation.selectors import withheld
from evaluation.standards import SCORE_BANDS, SHORT, between_scored

register = template.Library()


@register.filter
def too_few(threshold: int | None) -> str:
    """{{ report.threshold|too_few }}: "fewer than 5 pupils", for sentences."""
    return too_few_words(threshold)


# The decimal places of each kind of figure, as the report rounds it: shown to the same
# places everywhere ("0.50" beside "0.25", never "0.5").
PLACES = {"mean": 2, "sd": 2, "mean_gain": 2, "mean_points": 2, "gap_index": 2,
          "pct_expected": 1, "pct_higher": 1, "pct_expected_points": 1}  # fmt: skip


@register.simple_tag
def figure(group: dict | None, name: str, threshold: int | None, unit: str = "") -> str:
    """{% figure gap "pct_expected_points" report.threshold %}: the figure `name` of a
    report's group or gap, "–" where it has none, or the withheld wording where the report
    withholds the group (`"suppressed": true`, every figure null); to its kind's places, with
    thousands separated."""
    if group and group.get("suppressed"):
        return withheld(threshold)
    value = (group or {}).get(name)
    if value is None:
        return "–"
    places = PLACES.get(name)
    if places is None:
        return f"{value}{unit}"
    return f"{abs(value) if value == 0 else value:,.{places}f}{unit}"  # never "-0.00"


@register.simple_tag
def withheld_cell(threshold: int | None) -> str:
    """{% withheld_cell report.threshold %}: a cell standing for a whole withheld row."""
    return withheld(threshold)


# What an interval says about chance, and of what design an effect size comes: the one place
# pages and PDFs word issue 18's intervals, so a governor reads the same sentence everywhere.
DESIGN = "matched comparison schools, not randomised"


def _chance(low: float, high: float) -> str:
    return "could be chance" if low <= 0 <= high else "unlikely to be chance"


def _number(value: float) -> str:
    """3.0 as "3", 0.25 as "0.25"; a bound turned round from 0 as "0", never "-0" (adding 0
    makes -0.0 plain 0.0)."""
    return f"{value + 0:g}"


@register.simple_tag
def gap_change_words(change: dict | None, threshold: int | None) -> str:
    """{% gap_change_words entry.gap_change.disadvantaged report.threshold %}: "narrowed by
    0.9 points (95% confidence interval 0.5 to 1.3): unlikely to be chance". The change is
    later gap minus earlier, so a negative one narrowed; its interval is then turned round to
    read as the narrowing. No interval, no word on chance."""
    if change and change.get("suppressed"):
        return withheld(threshold)
    points = (change or {}).get("mean_points")
    if points is None:
        return "–"
    if points == 0:
        words = "unchanged"
    else:
        words = f"{'narrowed' if points < 0 else 'widened'} by {_number(abs(points))} points"
    interval = change.get("mean_points_ci")
    if not interval:
        return words
    low, high = sorted(-bound if points < 0 else bound for bound in interval)
    interval = f"95% confidence interval {_number(low)} to {_number(high)}"
    return f"{words} ({interval}): {_chance(low, high)}"


NATIONAL_GROUPS = {
    "disadvantaged": "pct_expected_non_disadvantaged",
    "send": "pct_expected_non_send",
}
AGAINST_NATIONAL = {
    "above": "above national",
    "below": "below national",
    "in_line": "in line with national",
}


@register.simple_tag
def national_words(entry: dict, group: str) -> str:
    """{% national_words entry "disadvantaged" %}: "below national (interval 28% to 36%
    against 81%)", or "" where the report does not say (group withheld, no national figure)."""
    key = NATIONAL_GROUPS[group]
    national = entry.get("national") or {}
    significance = national.get(f"{key}_significance")
    interval = (entry.get("groups", {}).get(group) or {}).get("pct_expected_ci")
    if significance not in AGAINST_NATIONAL or not interval:
        return ""
    low, high = interval
    against = f"(interval {_number(low)}% to {_number(high)}% against {_number(national[key])}%)"
    return f"{AGAINST_NATIONAL[significance]} {against}"


@register.simple_tag
def effect_size_words(effect: dict | None, threshold: int | None) -> str:
    """{% effect_size_words entry.effect_size.all report.threshold %}: the effect size with
    its design, its interval allowing for pupils coming in schools (the adjusted one), its
    months of progress and the smallest effect the comparison could have detected."""
    if effect and effect.get("suppressed"):
        return withheld(threshold)
    if not effect or effect.get("hedges_g") is None:
        return "–"
    g = effect["hedges_g"]
    words = f"Effect size {_number(g)} ({months(effect['months_progress'])}; {DESIGN})"
    low, high = effect.get("ci_low_adjusted"), effect.get("ci_high_adjusted")
    if low is not None and high is not None:
        words += (
            f", 95% confidence interval allowing for schools {_number(low)} to {_number(high)}: "
            f"{_chance(low, high)}"
        )
    smallest = effect.get("mdes")
    if smallest is not None:
        words += (
            f". The smallest effect this comparison could have detected is {_number(smallest)} "
            f"({months(months_progress(smallest))})"
        )
    return words + "."


@register.filter
def months(count: int) -> str:
    """{{ 2|months }}: "2 months' progress", "1 month's progress", "-1 month's progress"."""
    return f"{count} month's progress" if abs(count) == 1 else f"{count} months' progress"


@register.filter
def with_intervals(values: list, intervals: list | None) -> list[tuple]:
    """{% for value, interval in set.data|with_intervals:set.intervals %}: each figure of a
    chart's series beside its 95% interval ([low, high], or None where it has none)."""
    intervals = list(intervals or [])
    return [(v, intervals[i] if i < len(intervals) else None) for i, v in enumerate(values)]


# Each band's heading: a scored window's three, a teacher-assessment window's four codes.
BAND_NAMES = {"below": "Below expected", "expected": "Expected", "higher": "Higher"} | SHORT
# The bands of entries stored before windows of teacher assessments had progress entries (and
# bands): between scored windows only.
SCORED_PAIR = {"from": SCORE_BANDS, "to": SCORE_BANDS}
TRANSITION_GROUP_NAMES = {
    "all": "All pupils",
    "disadvantaged": "Disadvantaged",
    "other": "Other pupils",
    "send": "SEND",
    "non_send": "Non-SEND",
}


@register.filter(name="between_scored")
def between_scored_filter(bands: dict | None) -> bool:
    """{% if entry.bands|between_scored %}: whether a progress entry has gains (see
    evaluation.standards.between_scored)."""
    return between_scored(bands)


@register.filter
def transition_columns(bands: dict | None) -> list[str]:
    """{% for name in entry.bands|transition_columns %}: the headings of the later window's
    bands, the matrix's columns."""
    return [BAND_NAMES[band] for band in (bands or SCORED_PAIR)["to"]]


@register.filter
def transition_table(entry: dict) -> list[dict]:
    """{% for group in entry|transition_table %}: a progress entry's transition_rows."""
    return transition_rows(entry.get("transitions"), entry.get("bands"))


def transition_rows(transitions: dict | None, bands: dict | None = None) -> list[dict]:
    """Each group's matrix as rows of cells (count, % of its row, shading level 0 to 4), a row
    an earlier band and a cell a later one, as the entry's `bands` give them. A row with a
    withheld cell has no percentages, since its total is not known; a withheld group has no
    rows."""
    bands = bands or SCORED_PAIR
    groups = []
    for key, name in TRANSITION_GROUP_NAMES.items():
        matrix = (transitions or {}).get(key)
        if not matrix:
            continue
        if matrix.get("suppressed"):
            groups.append({"name": name, "suppressed": True, "rows": []})
            continue
        rows = []
        for earlier in bands["from"]:
            counts = [matrix[earlier][later] for later in bands["to"]]
            total = None if None in counts else sum(counts)
            cells = [
                (c, round(100 * c / total, 1) if total else None,
                 min(4, int(4 * c / total + 0.5)) if total else 0)
                for c in counts
            ]  # fmt: skip
            rows.append({"band": BAND_NAMES[earlier], "cells": cells, "total": total})
        groups.append({"name": name, "suppressed": False, "rows": rows})
    return groups
