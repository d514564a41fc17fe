"""The progress figures of a programme (the method page's "Progress" section), plus attrition
and transitions: between every pair of windows in date order, over the pupils counted at both
(with a score, or in a window of teacher assessments only with a code), each placed (scope,
year group, groups) as at the earlier window. Gains, gap changes and effect sizes need a score
at both windows: where either window has teacher assessments only, they are null."""

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from statistics import mean, variance

from .groups import EFFECT_GROUPS, GAPS, GROUPS, gap_index, gap_state, split, withheld
from .intervals import Z, clustering, interval, welch
from .model import Programme, Row, Scope, Window, in_key, keys
from .rounding import derived, rounded
from .transitions import bands, transitions

GAP_FIGURES = ("mean_points", "pct_expected_points", "gap_index", "mean_points_ci")

# The EEF Teaching and Learning Toolkit: the smallest effect size (rounded to 2 places) of
# each number of months' progress from 1 to 12.
EEF_MONTHS = [0.02, 0.10, 0.19, 0.27, 0.36, 0.45, 0.53, 0.62, 0.70, 0.79, 0.88, 0.96]


def months_progress(g2: float) -> int:
    """Months' progress for an effect size already rounded to two places; negative for a
    negative effect size."""
    months = sum(1 for lowest in EEF_MONTHS if abs(g2) >= lowest - 1e-9)
    return -months if g2 < 0 else months


@dataclass(frozen=True)
class Match:
    earlier: Row  # the pupil's row at the earlier window: scope, year group and groups
    later: Row

    @property
    def gain(self) -> Fraction:
        return self.later.score - self.earlier.score


def matched(earlier: Window, later: Window) -> list[Match]:
    """The pupils counted at both windows."""
    at_later = {row.pupil: row for row in later.counted()}
    return [Match(row, at_later[row.pupil]) for row in earlier.counted() if row.pupil in at_later]


def group_gain(matches: list[Match], scored: bool) -> dict:
    """A group's pupils and mean gain (null with no pupils, or no scores at a window)."""
    if not matches or not scored:
        return {"n": len(matches), "mean_gain": None}
    return {"n": len(matches), "mean_gain": rounded(mean(m.gain for m in matches), 2)}


def gap_at(matches: list[Match], gap: str, which: str, window: Window) -> tuple:
    """(points, percentage points at expected, gap index) over the matched pupils, with their
    scores at the earlier or the later window."""
    behind, ahead = (GROUPS[group] for group in GAPS[gap])
    scores = [getattr(m, which).score for m in matches]
    is_behind = [behind(m.earlier) for m in matches]
    is_ahead = [ahead(m.earlier) for m in matches]

    def side(flags):
        chosen = [s for s, flag in zip(scores, flags, strict=True) if flag]
        share = Fraction(100 * sum(1 for s in chosen if s >= window.expected), len(chosen))
        return mean(chosen), share

    (mean_ahead, pct_ahead), (mean_behind, pct_behind) = side(is_ahead), side(is_behind)
    index = gap_index(scores, is_behind, is_ahead)
    return mean_ahead - mean_behind, pct_ahead - pct_behind, index


def gap_change(matches, gap, counts, hidden, earlier: Window, later: Window) -> dict:
    state = gap_state(gap, counts, hidden)
    if state == "withheld":
        return dict.fromkeys(GAP_FIGURES) | {"suppressed": True}
    if state == "empty":
        return dict.fromkeys(GAP_FIGURES)
    before = gap_at(matches, gap, "earlier", earlier)
    after = gap_at(matches, gap, "later", later)
    change = [b - a for a, b in zip(before, after, strict=True)]
    behind, ahead = (GROUPS[group] for group in GAPS[gap])
    gains = [[m.gain for m in matches if test(m.earlier)] for test in (ahead, behind)]
    return {
        "mean_points_ci": interval(welch(*gains), 2),
        "mean_points": rounded(change[0], 2),
        "pct_expected_points": rounded(change[1], 1),
        "gap_index": rounded(change[2], 2),
    }


def hedges_g(programme_arm: list[Match], comparison_arm: list[Match], scope: Scope):
    """Hedges' g of the gains, over the pooled SD of the later scores; null with fewer than
    two pupils in an arm or no spread. With the clustering of the later scores in schools
    (each pupil in the school of the earlier window, where progress places them)."""
    n1, n2 = len(programme_arm), len(comparison_arm)
    if n1 < 2 or n2 < 2:
        return None
    spread = [variance([m.later.score for m in arm]) for arm in (programme_arm, comparison_arm)]
    pooled_variance = ((n1 - 1) * spread[0] + (n2 - 1) * spread[1]) / (n1 + n2 - 2)
    if pooled_variance == 0:
        return None
    difference = mean(m.gain for m in programme_arm) - mean(m.gain for m in comparison_arm)
    g = (1 - 3 / (4 * (n1 + n2) - 9)) * float(difference) / math.sqrt(pooled_variance)
    se = math.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    half = float(Z) * se
    by_school = {}
    for m in programme_arm + comparison_arm:
        by_school.setdefault(m.earlier.school, []).append(m.later.score)
    return clustering(g, se, by_school, scope.schools) | {
        "hedges_g": rounded(g, 3),
        "ci_low": rounded(g - half, 3),
        "ci_high": rounded(g + half, 3),
        "months_progress": derived(rounded(g, 2), months_progress),
        "n_programme": n1,
        "n_comparison": n2,
    }


def effect_size(programme: Programme, scope: Scope, year_group, matches, all_matches, hidden):
    """For all, disadvantaged and SEND pupils: the scope's matched pupils against those of the
    comparison schools in the same year group (or all year groups)."""
    comparison = programme.comparison_scope()
    if comparison is None or scope.type == "comparison" or scope.comparison_school:
        return None
    if "all" in hidden:
        return None
    arm_c = [m for m in all_matches if in_key(m.earlier, comparison, year_group)]
    effects = {}
    for group in EFFECT_GROUPS:
        ours = [m for m in matches if GROUPS[group](m.earlier)]
        theirs = [m for m in arm_c if GROUPS[group](m.earlier)]
        threshold = programme.threshold
        if not ours or not theirs:
            effects[group] = None
        elif group in hidden or len(ours) < threshold or len(theirs) < threshold:
            effects[group] = {"suppressed": True}
        else:
            effects[group] = hedges_g(ours, theirs, scope)
    return effects


def attrition(scope, year_group, earlier: Window, later: Window, hidden, threshold) -> dict:
    """For each group: of the pupils of the key and group counted at the earlier window
    ("of"), how many are not counted at the later one ("lost")."""
    by_group = split([row for row in earlier.counted() if in_key(row, scope, year_group)])
    at_later = {row.pupil for row in later.counted()}
    counts = {name: len(rows) for name, rows in by_group.items()}
    hidden_here = hidden | withheld(counts, threshold)
    figures = {}
    for name, rows in by_group.items():
        if name in hidden_here:
            figures[name] = {"lost": None, "of": None, "suppressed": True}
            continue
        lost = sum(1 for row in rows if row.pupil not in at_later)
        figures[name] = {"lost": lost, "of": len(rows)}
    return figures


def no_gap_change(gap, counts, hidden) -> dict:
    """A gap's change where a window has no scores: every figure null, withheld as ever."""
    if gap_state(gap, counts, hidden) == "withheld":
        return dict.fromkeys(GAP_FIGURES) | {"suppressed": True}
    return dict.fromkeys(GAP_FIGURES)


def progress_entry(programme, scope, year_group, earlier, later, all_matches) -> dict:
    matches = [m for m in all_matches if in_key(m.earlier, scope, year_group)]
    in_group = {name: [m for m in matches if test(m.earlier)] for name, test in GROUPS.items()}
    counts = {name: len(group) for name, group in in_group.items()}
    hidden = withheld(counts, programme.threshold)
    scored = earlier.scored and later.scored
    groups = {
        name: {"n": None, "mean_gain": None, "suppressed": True}
        if name in hidden
        else group_gain(in_group[name], scored)
        for name in GROUPS
    }
    if scored:
        changes = {g: gap_change(matches, g, counts, hidden, earlier, later) for g in GAPS}
        effect = effect_size(programme, scope, year_group, matches, all_matches, hidden)
    else:
        changes, effect = {g: no_gap_change(g, counts, hidden) for g in GAPS}, None
    return {
        "scope": scope.as_json(),
        "year_group": year_group,
        "from": earlier.slug,
        "to": later.slug,
        "n_matched": None if "all" in hidden else counts["all"],
        "groups": groups,
        "gap_change": changes,
        "effect_size": effect,
        "attrition": attrition(scope, year_group, earlier, later, hidden, programme.threshold),
        "bands": {"from": list(bands(earlier)), "to": list(bands(later))},
        "transitions": transitions(matches, hidden, programme.threshold, earlier, later),
    }


def progress(programme: Programme) -> dict[tuple, dict]:
    """Every progress entry, by (scope type, scope id, year group, from, to): one for each pair
    of windows, scope and year group (and all year groups) with a matched pupil."""
    entries = {}
    for earlier, later in combinations(programme.windows, 2):
        all_matches = matched(earlier, later)
        for scope in programme.scopes():
            for year_group in keys():
                if any(in_key(m.earlier, scope, year_group) for m in all_matches):
                    key = (scope.type, scope.id, year_group, earlier.slug, later.slug)
                    entries[key] = progress_entry(
                        programme, scope, year_group, earlier, later, all_matches
                    )
    return entries
