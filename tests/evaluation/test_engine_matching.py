"""The engine matches pupils across windows by pupil, whatever the rows' order and whoever
left or joined, and says how complete each window's figures are: worked out by hand for the
six pupils of test_engine."""

import numpy as np
import orjson

from evaluation import engine

from .test_engine import MEMBERSHIPS, _find, window


def _later(rows: list[int], extra: dict | None = None, **scores) -> engine.WindowRows:
    """Window B's rows of SCHOOL_1 in the order given (by row), scores changed by pupil
    (p1=101), and a newcomer's row (`extra`) at the end."""
    b = window("b", 1, comparison=False).take(np.array(rows))
    for name, score in scores.items():
        b.score[b.pupil == int(name[1:])] = score
    if extra:
        for name, value in extra.items():
            setattr(b, name, np.append(getattr(b, name), value))
    return b


NEWCOMER = {"pupil": 7, "school": 1, "year_group": 2, "score": 80.0, "code": 0,
            "disadvantaged": True, "send": False, "eal": -1, "gender": 1}  # fmt: skip


def test_pupils_who_leave_and_join_between_windows_are_matched_by_pupil_not_by_row():
    """Window B lacks pupils 1 and 3 (they left), has a newcomer (7) and lists pupils in
    another order, as every real end-of-year file does: the gains, the gap changes and the
    pupils lost follow the pupils, not the rows. (The engine raised IndexError here.)"""
    b = _later([5, 3, 4, 1], NEWCOMER)  # pupils 6, 4, 5, 2
    a = window("a", 0, comparison=False)
    entry = _find(engine.build([a, b], MEMBERSHIPS[:1], {}, threshold=1).progress, "programme")
    # Matched: pupils 2, 4, 5, 6, gains +3, +2, -1, +4; pupil 2 is the one disadvantaged.
    assert entry["n_matched"] == 4
    assert entry["groups"]["all"]["mean_gain"] == 2.0
    assert entry["groups"]["disadvantaged"] == {"n": 1, "mean_gain": 3.0}
    # Other pupils' mean: A (110 + 120 + 95) / 3, B (112 + 119 + 99) / 3; pupil 2: 100, 103.
    change = (330 / 3 - 103) - (325 / 3 - 100)
    assert entry["gap_change"]["disadvantaged"]["mean_points"] == round(change, 2) == -1.33
    # Pupils 1 (disadvantaged) and 3 (not), assessed at A, were lost; the newcomer is not
    # counted at all.
    assert entry["attrition"]["all"] == {"lost": 2, "of": 6}
    assert entry["attrition"]["disadvantaged"] == {"lost": 1, "of": 2}
    assert entry["attrition"]["other"] == {"lost": 1, "of": 4}


def test_the_gap_change_at_expected_follows_the_pupils_when_rows_come_in_another_order():
    """Pupil 1 (disadvantaged) rises from 90 to 101, above the expected standard; window B
    lists the pupils last to first. (The engine read each pupil's later standard from the row
    of the same number, and said the gap widened by 25 points.)"""
    a = window("a", 0, comparison=False)
    b = _later([5, 4, 3, 2, 1, 0], p1=101)
    entry = _find(engine.build([a, b], MEMBERSHIPS[:1], {}, threshold=1).progress, "programme")
    # Disadvantaged at expected: A 1 of 2 (50%), B 2 of 2; others 3 of 4 both times.
    # Gap A: 75 - 50 = 25; gap B: 75 - 100 = -25.
    assert entry["gap_change"]["disadvantaged"]["pct_expected_points"] == -50.0


def test_coverage_counts_the_pupils_of_the_academic_year_against_those_assessed():
    """Windows a and b are in one academic year: pupil 7 sat only b, pupils 1-6 only a."""
    a = window("a", 0, comparison=False)
    b = window("b", 1, comparison=False).take(np.array([0]))
    b.pupil = np.array([7])
    a.academic_year = b.academic_year = 2025
    report = engine.build([a, b], MEMBERSHIPS[:1], {}, threshold=1)
    coverage = {e["window"]: e["coverage"] for e in report.attainment if e["year_group"] is None}
    assert coverage == {"a": {"pupils": 7, "assessed": 6}, "b": {"pupils": 7, "assessed": 1}}
    withheld = engine.build([a, b], MEMBERSHIPS[:1], {}, threshold=2).attainment
    assert next(e for e in withheld if e["window"] == "b")["coverage"] == {
        "pupils": None, "assessed": None, "suppressed": True,
    }  # fmt: skip


def test_every_figure_is_a_plain_number_that_json_can_hold():
    """orjson refuses NumPy's numbers; the stored report is JSON."""
    report = engine.build([window("a", 0), window("b", 1)], MEMBERSHIPS, {}, threshold=1)
    orjson.dumps({"attainment": report.attainment, "progress": report.progress})
