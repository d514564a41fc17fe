"""The gap index's ranks: counted at each score (sums.ScoreCounts) or ranked (ranks_within),
each against its definition, worked a pupil at a time."""

import numpy as np
import pytest

from evaluation import engine
from evaluation.engine import sums


def test_ranks_share_ties_within_each_key():
    keys = np.array([0, 0, 0, 1, 1, 0])
    values = np.array([5.0, 3.0, 5.0, 1.0, 1.0, 4.0])
    assert engine.ranks_within(keys, values).tolist() == [3.5, 1.0, 3.5, 1.5, 1.5, 2.0]


@pytest.mark.parametrize("first_key", [0, 70_000])  # keys of 16 bits, and wider
@pytest.mark.parametrize("presorted", [False, True])
def test_ranks_agree_with_a_plain_count_on_random_data(first_key, presorted):
    rng = np.random.default_rng(7)
    keys = first_key + rng.integers(0, 6, 300)
    values = rng.integers(80, 90, 300) + rng.choice([0.0, 0.5], 300)
    if presorted:  # two ascending runs, as the report passes them
        values[:150].sort()
        values[150:].sort()
    ranks = engine.ranks_within(keys, values)
    for i in range(300):
        same_key = values[keys == keys[i]]
        below, equal = (same_key < values[i]).sum(), (same_key == values[i]).sum()
        assert ranks[i] == below + (equal + 1) / 2


def _gap_index_by_hand(keys, values, behind, size):
    """The gap index from its definition, a key at a time: each pupil's rank among its key's
    pupils (ties sharing the mean of their ranks), position (rank - 0.5) / n, 20 x the mean
    position of the pupils ahead minus that of the pupils behind."""
    result = []
    for key in range(size):
        mine, late = values[keys == key], behind[keys == key]
        if len(mine) == 0 or late.all() or not late.any():
            result.append(None)
            continue
        ranks = [(mine < v).sum() + ((mine == v).sum() + 1) / 2 for v in mine]
        p = (np.array(ranks) - 0.5) / len(mine)
        result.append(20 * (p[~late].mean() - p[late].mean()))
    return result


@pytest.mark.parametrize(
    ("step", "most_cells"),
    [
        (0.1, 1 << 22),  # scores to a tenth: pupils counted at each score
        (0.5, 1 << 22),
        (0.05, 1 << 22),  # not tenths: ranked
        (1.0, 10),  # too many keys x scores to count: ranked
    ],
)
def test_gap_index_counted_at_each_score_or_ranked_agrees_with_its_definition(
    step, most_cells, monkeypatch
):
    monkeypatch.setattr(sums, "MOST_LEVEL_CELLS", most_cells)
    rng = np.random.default_rng(5)
    size = 7  # key 6 has no pupils
    keys = rng.integers(0, 6, 400)
    values = 95 + step * rng.integers(0, 40, 400)  # many ties
    values[keys == 5] = 100.0  # a key where every score is the same
    behind = rng.random(400) < 0.3
    rows = rng.permutation(400)  # the rows of a scope, in any order
    scale = engine.Scale(values)
    found = engine.gap_index(keys[rows], size, scale, rows, {"gap": behind[rows]})
    assert (scale.level is None) == (step == 0.05 or most_cells == 10)  # which way it went
    expected = _gap_index_by_hand(keys, values, behind, size)
    for key in range(size):
        if expected[key] is None:
            assert not np.isfinite(found["gap"][key])
        else:
            assert found["gap"][key] == pytest.approx(expected[key], abs=1e-9)
