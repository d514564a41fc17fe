"""Transition matrices: each key's matched pupils by band at the earlier window, then at the
later (below the expected standard, at it, at the higher), for five groups, with the cells
about too few pupils withheld so that none of them can be worked back from the rest."""

import numpy as np

BANDS = ("below", "expected", "higher")
TRANSITION_GROUPS = ("all", "disadvantaged", "other", "send", "non_send")
CELLS = len(BANDS) ** 2  # cell (earlier band) * 3 + (later band)


def cell_flags(before: tuple[np.ndarray, np.ndarray], after: tuple[np.ndarray, np.ndarray]):
    """For each of the nine cells, whether each pupil is in it, from (at expected, at higher)
    at each window: a pupil at the higher standard is at the expected one too, so the band's
    number is how many of the two it reaches."""
    cell = (before[0].astype(np.int8) + before[1]) * len(BANDS) + after[0] + after[1]
    return tuple(cell == k for k in range(CELLS))


def matrices(counts: dict[str, list[int]], hidden: set[str], threshold: int) -> dict:
    """The entry's matrices from each group's nine counts. A withheld group (`hidden`) shows
    none. Elsewhere a cell position is withheld in every group at once when any group has
    there fewer pupils than `threshold` (but some): otherwise it could be worked back from
    "all" less the other side of its pair. Never exactly one position, which the group's
    count would give away: the next smallest in "all" goes with it (or all of them)."""
    shown = [g for g in TRANSITION_GROUPS if g not in hidden]
    withheld = {k for g in shown for k, c in enumerate(counts[g]) if 0 < c < threshold}
    if len(withheld) == 1:
        others = [(c, k) for k, c in enumerate(counts["all"]) if c > 0 and k not in withheld]
        withheld |= {min(others)[1]} if others else set(range(CELLS))
    result = {}
    for g in TRANSITION_GROUPS:
        if g in hidden:
            result[g] = _matrix([None] * CELLS) | {"suppressed": True}
        else:
            result[g] = _matrix([None if k in withheld else c for k, c in enumerate(counts[g])])
    return result


def _matrix(cells: list) -> dict:
    width = len(BANDS)
    return {
        earlier: dict(zip(BANDS, cells[i * width : (i + 1) * width], strict=True))
        for i, earlier in enumerate(BANDS)
    }
