"""Transition matrices (issue 19): how many matched pupils moved from each band at the earlier
window to each band at the later one, with small cells withheld in the same positions in every
group, never exactly one of them. A scored window's bands are below, expected and higher (by
its own standards); a window of teacher assessments only has the four codes as its bands."""

from .groups import GROUPS
from .model import EXS, GDS, PKF, WTS, Window

SCORE_BANDS = ("below", "expected", "higher")
CODE_BANDS = {PKF: "PKF", WTS: "WTS", EXS: "EXS", GDS: "GDS"}  # lowest first
TRANSITION_GROUPS = ("all", "disadvantaged", "other", "send", "non_send")


def bands(window: Window) -> tuple[str, ...]:
    return SCORE_BANDS if window.scored else tuple(CODE_BANDS.values())


def positions(earlier: Window, later: Window) -> tuple[tuple[str, str], ...]:
    """Every (from, to) position in reading order: from the lowest band to each band of the
    later window, lowest first, then from the next band, and so on."""
    return tuple((before, after) for before in bands(earlier) for after in bands(later))


def band(row, window: Window) -> str:
    """A pupil's band at a window: by score against its standards, or its teacher assessment
    in a window that has no scores."""
    if not window.scored:
        return CODE_BANDS[row.code]
    if row.score >= window.higher:
        return "higher"
    if row.score >= window.expected:
        return "expected"
    return "below"


def counted(matches: list, group: str, earlier: Window, later: Window) -> dict[tuple, int]:
    """The number of the group's matched pupils (placed as at the earlier window) at each
    position, in reading order."""
    counts = dict.fromkeys(positions(earlier, later), 0)
    for match in matches:
        if GROUPS[group](match.earlier):
            counts[band(match.earlier, earlier), band(match.later, later)] += 1
    return counts


def withheld_positions(counts: dict[str, dict], shown: list[str], threshold: int) -> set:
    """The positions withheld in every shown group: each where a shown group has a count
    between 0 and threshold; and, when that gives only one, the other position with the
    smallest positive count in "all" (the first in reading order, the order of the counts'
    positions), or every position if "all" has no other."""
    every = list(counts["all"])
    primary = {
        position
        for position in every
        if any(0 < counts[group][position] < threshold for group in shown)
    }
    if len(primary) != 1:
        return primary
    others = [p for p in every if p not in primary and counts["all"][p] > 0]
    if not others:
        return set(every)
    smallest = min(counts["all"][p] for p in others)
    return primary | {next(p for p in others if counts["all"][p] == smallest)}


def matrix(cells: dict[tuple, int | None], earlier: Window, later: Window) -> dict:
    return {
        before: {after: cells[before, after] for after in bands(later)} for before in bands(earlier)
    }


def transitions(matches, hidden: set[str], threshold: int, earlier, later) -> dict:
    """The matrix of each group, over the matches of one progress entry, with the groups in
    hidden withheld whole."""
    shown = [group for group in TRANSITION_GROUPS if group not in hidden]
    counts = {group: counted(matches, group, earlier, later) for group in TRANSITION_GROUPS}
    withheld = withheld_positions(counts, shown, threshold) if shown else set()
    matrices = {}
    for group in TRANSITION_GROUPS:
        if group in hidden:
            cells = dict.fromkeys(positions(earlier, later))
            matrices[group] = matrix(cells, earlier, later) | {"suppressed": True}
        else:
            cells = {p: None if p in withheld else n for p, n in counts[group].items()}
            matrices[group] = matrix(cells, earlier, later)
    return matrices
