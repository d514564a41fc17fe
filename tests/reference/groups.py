"""The groups of pupils, the gaps between them, the gap index, and which figures are withheld
(the "Small groups" section of the method page)."""

from fractions import Fraction
from statistics import mean

from .model import EAL_NO, EAL_YES, FEMALE, MALE

# Each group, by the test a pupil's row passes to be in it.
GROUPS = {
    "all": lambda row: True,
    "disadvantaged": lambda row: row.disadvantaged,
    "other": lambda row: not row.disadvantaged,
    "send": lambda row: row.send,
    "non_send": lambda row: not row.send,
    "eal": lambda row: row.eal == EAL_YES,
    "non_eal": lambda row: row.eal == EAL_NO,
    "female": lambda row: row.gender == FEMALE,
    "male": lambda row: row.gender == MALE,
}
PAIRS = [("disadvantaged", "other"), ("send", "non_send"), ("eal", "non_eal"), ("female", "male")]
# Each gap: (the group that may be behind, the group it is compared with).
GAPS = {"disadvantaged": ("disadvantaged", "other"), "send": ("send", "non_send")}
EFFECT_GROUPS = ("all", "disadvantaged", "send")


def split(rows: list) -> dict[str, list]:
    """The rows of each group (a row is in "all" and in at most one side of each pair)."""
    return {name: [row for row in rows if test(row)] for name, test in GROUPS.items()}


def withheld(counts: dict[str, int], threshold: int) -> set[str]:
    """The groups whose figures are withheld, given how many pupils each has:
    - a group of fewer than threshold pupils (but not none);
    - every group, if "all" is withheld;
    - the other side of a pair whose one side is withheld, unless it has no pupils."""
    hidden = {name for name, n in counts.items() if 0 < n < threshold}
    if "all" in hidden:
        return set(counts)
    for one, other in PAIRS:
        if one in hidden and counts[other] > 0:
            hidden.add(other)
        if other in hidden and counts[one] > 0:
            hidden.add(one)
    return hidden


def gap_state(gap: str, counts: dict[str, int], hidden: set[str]) -> str:
    """ "withheld" if either side is withheld; else "empty" if either side has no pupils; else
    "shown"."""
    behind, ahead = GAPS[gap]
    if behind in hidden or ahead in hidden:
        return "withheld"
    if counts[behind] == 0 or counts[ahead] == 0:
        return "empty"
    return "shown"


def average_ranks(values: list) -> list[Fraction]:
    """Each value's place among all of them, lowest first (1 to len); equal values share the
    average of their places."""
    ranks = []
    for value in values:
        below = sum(1 for other in values if other < value)
        equal = sum(1 for other in values if other == value)
        ranks.append(Fraction(below) + Fraction(equal + 1, 2))
    return ranks


def gap_index(values: list, behind: list[bool], ahead: list[bool]) -> Fraction:
    """The DfE disadvantage gap index over these pupils: p = (place - 1/2) / N for each, and
    20 x (mean p of the pupils ahead - mean p of the pupils behind)."""
    n = len(values)
    positions = [(rank - Fraction(1, 2)) / n for rank in average_ranks(values)]
    p_ahead = mean(p for p, is_ahead in zip(positions, ahead, strict=True) if is_ahead)
    p_behind = mean(p for p, is_behind in zip(positions, behind, strict=True) if is_behind)
    return 20 * (p_ahead - p_behind)
