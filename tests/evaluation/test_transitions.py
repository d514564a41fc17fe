"""Transition matrices (issue 19) worked out by hand (in the comments) for a few pupils in Year
2 at school 1 (enrolled) and school 2 (the comparison school), from both the engine and the
reference (tests/reference/transitions.py), which must each give the hand-worked figures."""

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest

from evaluation import engine
from tests.evaluation.test_engine import MEMBERSHIPS
from tests.reference import reference_report
from tests.reference.model import Programme, Row
from tests.reference.model import Window as ReferenceWindow
from tests.reference.transitions import withheld_positions

BANDS = ["below", "expected", "higher"]
GROUPS = ["all", "disadvantaged", "other", "send", "non_send"]
POSITIONS = [(before, after) for before in BANDS for after in BANDS]  # in reading order
# A score in each band when the standards are 100 and 110.
SCORE = {"below": 95, "expected": 105, "higher": 115}


@dataclass
class Window:
    slug: str
    rows: list  # (pupil, school, score or None, disadvantaged, SEND), in the order given
    expected: int = 100
    higher: int = 110


def engine_rows(window: Window) -> engine.WindowRows:
    rows, n = window.rows, len(window.rows)
    return engine.WindowRows(
        slug=window.slug,
        expected=window.expected,
        higher=window.higher,
        pupil=np.array([r[0] for r in rows]),
        school=np.array([r[1] for r in rows]),
        year_group=np.full(n, 2),
        score=np.array([np.nan if r[2] is None else float(r[2]) for r in rows]),
        code=np.zeros(n, dtype=int),
        disadvantaged=np.array([bool(r[3]) for r in rows]),
        send=np.array([bool(r[4]) for r in rows]),
        eal=np.full(n, -1),
        gender=np.zeros(n, dtype=int),
    )


def from_engine(windows: list[Window], threshold: int) -> dict:
    report = engine.build([engine_rows(w) for w in windows], MEMBERSHIPS, {}, threshold)
    return {
        (e["scope"]["type"], e["scope"]["id"], e["year_group"]): e["transitions"]
        for e in report.progress
    }


def from_reference(windows: list[Window], threshold: int) -> dict:
    made = []
    for w in windows:
        rows = tuple(
            Row(p, s, 2, None if v is None else Fraction(v), 0, bool(d), bool(e), -1, 0)
            for p, s, v, d, e in w.rows
        )
        made.append(ReferenceWindow(w.slug, 2025, w.expected, w.higher, rows))
    programme = Programme(7, "Programme", (1,), (2,), (), (), (),
                          {1: "School 1", 2: "School 2"}, tuple(made), threshold)  # fmt: skip
    return {key[:3]: entry["transitions"] for key, entry in reference_report(programme)[1].items()}


@pytest.fixture(params=[from_engine, from_reference], ids=["engine", "reference"])
def transitions(request):
    """The transitions of each progress entry by (scope type, scope id, year group)."""
    return request.param


def pair(pupils: dict) -> list[Window]:
    """pupil: (school, score at A, score at B, disadvantaged, SEND)."""
    return [
        Window(slug, [(p, v[0], v[column], v[3], v[4]) for p, v in pupils.items()])
        for slug, column in (("a", 1), ("b", 2))
    ]


def cohort(*lines) -> list[Window]:
    """Pupils of school 1 made from lines of (band at A, band at B, how many, disadvantaged,
    SEND), each pupil scoring SCORE[band]."""
    pupils, number = {}, 0
    for before, after, count, disadvantaged, send in lines:
        for _ in range(count):
            number += 1
            pupils[number] = (1, SCORE[before], SCORE[after], disadvantaged, send)
    return pair(pupils)


def matrix(*rows) -> dict:
    """A matrix from its three rows (from below, expected, higher) of three cells each."""
    return {
        before: dict(zip(BANDS, row, strict=True)) for before, row in zip(BANDS, rows, strict=True)
    }


SUPPRESSED = matrix([None] * 3, [None] * 3, [None] * 3) | {"suppressed": True}
PROGRAMME, COMPARISON = ("programme", 7, None), ("comparison", 7, None)

# pupil: (school, score at A, score at B, disadvantaged, SEND); the standards are 100 and 110.
EVERY_BAND = {
    1: (1, 95, 98, 1, 0),  # below -> below
    2: (1, 98, 104, 1, 1),  # below -> expected
    3: (1, 96, 112, 0, 0),  # below -> higher
    4: (1, 105, 97, 0, 0),  # expected -> below
    5: (1, 102, 108, 0, 1),  # expected -> expected
    6: (1, 100, 101, 0, 0),  # expected (exactly 100) -> expected
    7: (1, 108, 111, 1, 0),  # expected -> higher
    8: (1, 115, 99, 0, 0),  # higher -> below
    9: (1, 111, 107, 0, 1),  # higher -> expected
    10: (1, 120, 118, 0, 0),  # higher -> higher
    11: (1, 113, 110, 1, 0),  # higher -> higher (exactly 110)
    21: (2, 97, 101, 0, 0),  # comparison school: below -> expected
    22: (2, 104, 99, 0, 0),  # expected -> below
    23: (2, 112, 113, 1, 0),  # higher -> higher
}


@pytest.mark.parametrize("reverse", [False, True], ids=["in order", "rows reversed"])
def test_it_counts_pupils_moving_between_every_pair_of_bands(transitions, reverse):
    windows = pair(EVERY_BAND)
    if reverse:
        windows = [Window(w.slug, w.rows[::-1]) for w in windows]
    found = transitions(windows, threshold=1)
    programme = found[PROGRAMME]
    # Each of school 1's 11 pupils in one cell (pupils 1-11 in the comments above).
    assert programme["all"] == matrix([1, 1, 1], [1, 2, 1], [1, 1, 2])
    # Disadvantaged: 1 (b-b), 2 (b-e), 7 (e-h), 11 (h-h); the others are the rest.
    assert programme["disadvantaged"] == matrix([1, 1, 0], [0, 0, 1], [0, 0, 1])
    assert programme["other"] == matrix([0, 0, 1], [1, 2, 0], [1, 1, 1])
    # SEND: 2 (b-e), 5 (e-e), 9 (h-e).
    assert programme["send"] == matrix([0, 1, 0], [0, 1, 0], [0, 1, 0])
    assert programme["non_send"] == matrix([1, 0, 1], [1, 1, 1], [1, 0, 2])
    assert list(programme) == GROUPS
    for group in GROUPS:
        assert list(programme[group]) == BANDS
        assert all(list(row) == BANDS for row in programme[group].values())
        assert all(type(c) is int for row in programme[group].values() for c in row.values())
    assert found["programme", 7, 2] == found["school", 1, 2] == programme
    # The comparison school's pupils 21-23 are counted in its own entries only.
    comparison = found[COMPARISON]
    assert comparison["all"] == matrix([0, 1, 0], [1, 0, 0], [0, 0, 1])
    assert comparison["disadvantaged"] == matrix([0, 0, 0], [0, 0, 0], [0, 0, 1])
    assert comparison["other"] == matrix([0, 1, 0], [1, 0, 0], [0, 0, 0])
    assert comparison["send"] == matrix([0, 0, 0], [0, 0, 0], [0, 0, 0])
    assert found["school", 2, None] == comparison


def test_each_window_places_pupils_by_its_own_standards(transitions):
    # A's standards are 100 and 110, B's 95 and 115: pupil 2 stays at the expected standard
    # with 95, pupil 3 does not reach B's higher standard with 114.5, pupil 5 falls from the
    # higher standard at A to the expected one at B with the same 110.
    pupils = {
        1: (1, 99.5, 94.5, 0, 0),  # below -> below
        2: (1, 100, 95, 0, 0),  # expected -> expected
        3: (1, 109.5, 114.5, 0, 0),  # expected -> expected
        4: (1, 110, 115, 0, 0),  # higher -> higher
        5: (1, 110, 110, 0, 0),  # higher -> expected
        6: (1, 99, 100, 0, 0),  # below -> expected
    }
    earlier, later = pair(pupils)
    later.expected, later.higher = 95, 115
    programme = transitions([earlier, later], threshold=1)[PROGRAMME]
    assert programme["all"] == matrix([1, 1, 0], [0, 2, 0], [0, 1, 1])
    assert programme["non_send"] == programme["other"] == programme["all"]
    # No pupil is disadvantaged or has SEND: those groups are empty, all zeros, not withheld.
    assert programme["disadvantaged"] == programme["send"] == matrix([0] * 3, [0] * 3, [0] * 3)


def test_a_withheld_group_has_every_cell_withheld(transitions):
    # Threshold 3; school 1: 2 disadvantaged pupils (so "disadvantaged" is withheld, and
    # "other", which would give them away), both below -> expected; 1 other below ->
    # expected and 5 expected -> expected. The small cells of the withheld groups (2 and 1)
    # withhold nothing else. School 2 has 2 pupils: "all" is withheld, and so every group.
    windows = cohort(("below", "expected", 2, 1, 0), ("below", "expected", 1, 0, 0),
                     ("expected", "expected", 5, 0, 0))  # fmt: skip
    for window, score in zip(windows, [(95, 115), (105, 115)], strict=True):
        window.rows += [(21, 2, score[0], 0, 0), (22, 2, score[1], 0, 0)]
    found = transitions(windows, threshold=3)
    programme = found[PROGRAMME]
    assert programme["disadvantaged"] == programme["other"] == SUPPRESSED
    assert programme["all"] == programme["non_send"] == matrix([0, 3, 0], [0, 5, 0], [0, 0, 0])
    assert programme["send"] == matrix([0, 0, 0], [0, 0, 0], [0, 0, 0])
    assert "suppressed" not in programme["all"]
    assert all(found[COMPARISON][group] == SUPPRESSED for group in GROUPS)


def test_one_small_cell_withholds_the_next_smallest_too(transitions):
    # Threshold 3: below -> below 5, below -> expected 1 (withheld), expected -> higher 3,
    # higher -> higher 4. Alone, the 1 would follow from the 13 pupils, so the smallest other
    # cell, the 3, is withheld too; the same two positions in every group, even the empty
    # ones (nobody is disadvantaged or has SEND).
    windows = cohort(("below", "below", 5, 0, 0), ("below", "expected", 1, 0, 0),
                     ("expected", "higher", 3, 0, 0), ("higher", "higher", 4, 0, 0))  # fmt: skip
    programme = transitions(windows, threshold=3)[PROGRAMME]
    expected = matrix([5, None, 0], [0, 0, None], [0, 0, 4])
    assert programme["all"] == programme["other"] == programme["non_send"] == expected
    empty = matrix([0, None, 0], [0, 0, None], [0, 0, 0])
    assert programme["disadvantaged"] == programme["send"] == empty
    assert all("suppressed" not in programme[group] for group in GROUPS)


def test_a_tie_for_the_next_smallest_withholds_the_first_in_reading_order(transitions):
    # Threshold 3: below -> higher 3, expected -> below 3, expected -> expected 4, higher ->
    # expected 1 (withheld), higher -> higher 5. The two 3s tie: below -> higher comes first
    # reading along the rows (expected -> below would come first down the columns).
    windows = cohort(("below", "higher", 3, 0, 0), ("expected", "below", 3, 0, 0),
                     ("expected", "expected", 4, 0, 0), ("higher", "expected", 1, 0, 0),
                     ("higher", "higher", 5, 0, 0))  # fmt: skip
    programme = transitions(windows, threshold=3)[PROGRAMME]
    assert programme["all"] == matrix([0, 0, None], [3, 4, 0], [0, None, 5])


def test_two_small_cells_withhold_nothing_more(transitions):
    # Threshold 3: below -> below 4, below -> expected 1, expected -> expected 2, higher ->
    # higher 3. The 1 and the 2 are withheld; neither follows from the other cells, and the 3
    # (not below the threshold) is shown.
    windows = cohort(("below", "below", 4, 0, 0), ("below", "expected", 1, 0, 0),
                     ("expected", "expected", 2, 0, 0), ("higher", "higher", 3, 0, 0))  # fmt: skip
    programme = transitions(windows, threshold=3)[PROGRAMME]
    assert programme["all"] == matrix([4, None, 0], [0, None, 0], [0, 0, 3])
    assert programme["disadvantaged"] == matrix([0, None, 0], [0, None, 0], [0, 0, 0])


def test_a_small_cell_in_one_group_withholds_its_position_in_every_group(transitions):
    # Threshold 3. Disadvantaged (5 pupils, shown): below -> below 2, below -> expected 3.
    # Others (13): below -> below 4, expected -> expected 4, higher -> higher 5. All (18):
    # below -> below 6, below -> expected 3, expected -> expected 4, higher -> higher 5.
    # The disadvantaged 2 is withheld; shown in "all" and "other", the 6 and the 4 would give
    # it away, so below -> below is withheld in every group; being the only position, the
    # smallest other in "all", below -> expected (3), is withheld too.
    windows = cohort(("below", "below", 2, 1, 0), ("below", "expected", 3, 1, 0),
                     ("below", "below", 4, 0, 0), ("expected", "expected", 4, 0, 0),
                     ("higher", "higher", 5, 0, 0))  # fmt: skip
    programme = transitions(windows, threshold=3)[PROGRAMME]
    shown = matrix([None, None, 0], [0, 4, 0], [0, 0, 5])
    assert programme["all"] == programme["other"] == programme["non_send"] == shown
    empty = matrix([None, None, 0], [0, 0, 0], [0, 0, 0])
    assert programme["disadvantaged"] == programme["send"] == empty


def test_only_pupils_with_a_score_at_both_windows_count_as_at_the_earlier_window(transitions):
    # Pupil 1 leaves after A, pupil 8 joins at B, pupil 2 has no score at B: none is counted.
    # Pupil 3 is disadvantaged at A only and counts as disadvantaged; pupil 4 moves to the
    # comparison school and counts in school 1. B's rows come in another order.
    earlier = Window("a", [(1, 1, 95, 0, 0), (2, 1, 105, 0, 0), (3, 1, 98, 1, 0),
                           (4, 1, 112, 0, 0), (5, 1, 101, 0, 0), (6, 2, 99, 0, 0),
                           (7, 1, 108, 0, 1)])  # fmt: skip
    later = Window("b", [(8, 1, 113, 0, 0), (7, 1, 111, 0, 1), (6, 2, 103, 0, 0),
                         (5, 1, 96, 0, 0), (4, 2, 109, 0, 0), (3, 1, 104, 0, 0),
                         (2, 1, None, 0, 0)])  # fmt: skip
    found = transitions([earlier, later], threshold=1)
    programme = found[PROGRAMME]
    # School 1: 3 below -> expected, 4 higher -> expected, 5 expected -> below, 7 expected ->
    # higher.
    assert programme["all"] == matrix([0, 1, 0], [1, 0, 1], [0, 1, 0])
    assert programme["disadvantaged"] == matrix([0, 1, 0], [0, 0, 0], [0, 0, 0])
    assert programme["other"] == matrix([0, 0, 0], [1, 0, 1], [0, 1, 0])
    assert programme["send"] == matrix([0, 0, 0], [0, 0, 1], [0, 0, 0])
    assert programme["non_send"] == matrix([0, 1, 0], [1, 0, 0], [0, 1, 0])
    # The comparison school: only pupil 6, below -> expected.
    assert found[COMPARISON]["all"] == matrix([0, 1, 0], [0, 0, 0], [0, 0, 0])


def test_the_reference_withholds_every_position_when_all_has_no_other_to_withhold():
    # Cannot arise from pupils (a group whose only cell is small is itself small, so withheld
    # whole), so asked of the reference directly: "all" has 6 pupils, all below -> below,
    # and a shown group 2 of them there. No other cell of "all" hides the 2: every one goes.
    counts = {group: dict.fromkeys(POSITIONS, 0) for group in ("all", "disadvantaged")}
    counts["all"]["below", "below"], counts["disadvantaged"]["below", "below"] = 6, 2
    assert withheld_positions(counts, ["all", "disadvantaged"], threshold=3) == set(POSITIONS)
    counts["all"]["higher", "higher"] = 4  # now that one goes with it
    assert withheld_positions(counts, ["all", "disadvantaged"], threshold=3) == {
        ("below", "below"),
        ("higher", "higher"),
    }
