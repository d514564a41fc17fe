"""Transition matrices: each key's matched pupils by band at the earlier window, then at the
later, for five groups, with the cells about too few pupils withheld so that none of them can
be worked back from the rest. Each window has its own bands (WindowRows.bands): a scored
window's three (below the expected standard, at it, at the higher), a teacher-assessment
window's four codes (PKF, WTS, EXS, GDS)."""

import numpy as np

TRANSITION_GROUPS = ("all", "disadvantaged", "other", "send", "non_send")


def cell_flags(before: np.ndarray, after: np.ndarray, shape: tuple[int, int]) -> tuple:
    """For each cell (earlier band) * shape[1] + (later band) of a matrix of shape[0] earlier
    bands by shape[1] later ones, whether each pupil is in it, from each pupil's band
    (WindowRows.band) at each window."""
    cell = before.astype(np.int16) * shape[1] + after
    return tuple(cell == k for k in range(shape[0] * shape[1]))


def matrices(counts: dict[str, list[int]], hidden: set[str], threshold: int,
             bands: dict[str, list[str]]) -> dict:  # fmt: skip
    """The entry's matrices from each group's counts of its cells (earlier band, then later,
    in reading order) between windows of these `bands` ("from", "to"). A withheld group
    (`hidden`) shows none. Elsewhere a cell position is withheld in every group at once when
    any group has there fewer pupils than `threshold` (but some): otherwise it could be worked
    back from "all" less the other side of its pair. Never exactly one position, which the
    group's count would give away: the next smallest in "all" goes with it (or all of them)."""
    size = len(bands["from"]) * len(bands["to"])
    shown = [g for g in TRANSITION_GROUPS if g not in hidden]
    withheld = {k for g in shown for k, c in enumerate(counts[g]) if 0 < c < threshold}
    if len(withheld) == 1:
        others = [(c, k) for k, c in enumerate(counts["all"]) if c > 0 and k not in withheld]
        withheld |= {min(others)[1]} if others else set(range(size))
    result = {}
    for g in TRANSITION_GROUPS:
        if g in hidden:
            result[g] = _matrix([None] * size, bands) | {"suppressed": True}
        else:
            cells = [None if k in withheld else c for k, c in enumerate(counts[g])]
            result[g] = _matrix(cells, bands)
    return result


def _matrix(cells: list, bands: dict[str, list[str]]) -> dict:
    width = len(bands["to"])
    return {
        earlier: dict(zip(bands["to"], cells[i * width : (i + 1) * width], strict=True))
        for i, earlier in enumerate(bands["from"])
    }
