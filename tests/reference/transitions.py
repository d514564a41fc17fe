"""Transition matrices (issue 19): how many matched pupils moved from each band at the earlier
window to each band at the later one, with small cells withheld in the same positions in every
group, never exactly one of them."""

from .groups import GROUPS
from .model import Window

BANDS = ("below", "expected", "higher")
TRANSITION_GROUPS = ("all", "disadvantaged", "other", "send", "non_send")
# Every (from, to) position in reading order: from below to higher, then to below to higher.
POSITIONS = tuple((before, after) for before in BANDS for after in BANDS)


def band(score, window: Window) -> str:
    if score >= window.higher:
        return "higher"
    if score >= window.expected:
        return "expected"
    return "below"


def counted(matches: list, group: str, earlier: Window, later: Window) -> dict[tuple, int]:
    """The number of the group's matched pupils (placed as at the earlier window) at each
    position."""
    counts = dict.fromkeys(POSITIONS, 0)
    for match in matches:
        if GROUPS[group](match.earlier):
            position = (band(match.earlier.score, earlier), band(match.later.score, later))
            counts[position] += 1
    return counts


def withheld_positions(counts: dict[str, dict], shown: list[str], threshold: int) -> set:
    """The positions withheld in every shown group: each where a shown group has a count
    between 0 and threshold; and, when that gives only one, the other position with the
    smallest positive count in "all" (the first in reading order), or every position if "all"
    has no other."""
    primary = {
        position
        for position in POSITIONS
        if any(0 < counts[group][position] < threshold for group in shown)
    }
    if len(primary) != 1:
        return primary
    others = [p for p in POSITIONS if p not in primary and counts["all"][p] > 0]
    if not others:
        return set(POSITIONS)
    smallest = min(counts["all"][p] for p in others)
    return primary | {next(p for p in others if counts["all"][p] == smallest)}


def matrix(counts: dict[tuple, int | None]) -> dict:
    return {before: {after: counts[before, after] for after in BANDS} for before in BANDS}


def transitions(matches, hidden: set[str], threshold: int, earlier, later) -> dict:
    """The matrix of each group, over the matches of one progress entry, with the groups in
    hidden withheld whole."""
    shown = [group for group in TRANSITION_GROUPS if group not in hidden]
    counts = {group: counted(matches, group, earlier, later) for group in shown}
    withheld = withheld_positions(counts, shown, threshold) if shown else set()
    matrices = {}
    for group in TRANSITION_GROUPS:
        if group in hidden:
            matrices[group] = matrix(dict.fromkeys(POSITIONS)) | {"suppressed": True}
        else:
            cells = {p: None if p in withheld else counts[group][p] for p in POSITIONS}
            matrices[group] = matrix(cells)
    return matrices
