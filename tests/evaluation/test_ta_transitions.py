"""Progress entries where a window has teacher assessments only (issue 19): the pupils with a
code (or score) at both windows, by band at each (a teacher-assessment window's bands are its
codes PKF, WTS, EXS, GDS), with cells withheld as between scored windows, and no gains, gap
changes or effect sizes. Worked out by hand in the comments, and checked against both the
engine and the reference (tests/reference/), each of which must give the hand-worked figures."""

import json
from datetime import date
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command

from evaluation.models import AssessmentWindow
from tests.evaluation.files import pupil_row, results_csv
from tests.evaluation.test_engine_reference import check, engine_report
from tests.reference import reference_report
from tests.reference.model import EXS, GDS, NO_CODE, PKF, WTS, Programme, Row, Window

CODES = ["PKF", "WTS", "EXS", "GDS"]
SCORED = ["below", "expected", "higher"]
GROUPS = ["all", "disadvantaged", "other", "send", "non_send"]


def row(pupil, school, *, code=NO_CODE, score=None, disadvantaged=False, send=False) -> Row:
    score = None if score is None else Fraction(score)
    return Row(pupil, school, 2, score, code, disadvantaged, send, -1, 0)


def programme_of(windows: list[Window], threshold: int) -> Programme:
    """School 1 enrolled (in cohort 1), school 2 the comparison school; Year 2 throughout."""
    return Programme(
        id=7, name="Programme", enrolled=(1,), comparison=(2,),
        cohorts=((1, "Cohort 1", (1,)),), local_authorities=(), work_groups=(),
        school_names={1: "School 1", 2: "School 2"}, windows=tuple(windows),
        threshold=threshold,
    )  # fmt: skip


def from_engine(programme: Programme) -> dict:
    return {
        (e["scope"]["type"], e["scope"]["id"], e["year_group"], e["from"], e["to"]): e
        for e in engine_report(programme).progress
    }


def from_reference(programme: Programme) -> dict:
    return reference_report(programme)[1]


@pytest.fixture(params=[from_engine, from_reference], ids=["engine", "reference"])
def progress(request):
    """The progress entries of a programme by (scope type, scope id, year group, from, to)."""
    return request.param


def matrix(rows: list[list], earlier: list[str], later: list[str]) -> dict:
    """A matrix from its rows (one an earlier band, lowest first) of cells (one a later band)."""
    return {
        before: dict(zip(later, cells, strict=True))
        for before, cells in zip(earlier, rows, strict=True)
    }


def codes(*rows) -> dict:
    return matrix(list(rows), CODES, CODES)


# pupil: (code at A, code at B, disadvantaged, SEND), all at school 1.
TWELVE = {
    1: (PKF, PKF, 1, 0), 2: (PKF, WTS, 1, 0), 3: (WTS, WTS, 0, 0), 4: (WTS, EXS, 1, 0),
    5: (WTS, EXS, 0, 0), 6: (EXS, WTS, 0, 1), 7: (EXS, EXS, 0, 0), 8: (EXS, EXS, 1, 0),
    9: (EXS, GDS, 0, 0), 10: (GDS, EXS, 0, 1), 11: (GDS, GDS, 0, 0), 12: (GDS, GDS, 1, 1),
}  # fmt: skip


def teacher_assessed(pupils: dict, extra_a=(), extra_b=()) -> list[Window]:
    """Windows A and B of teacher assessments only, for pupils: (code at A, at B, disadvantaged,
    SEND) at school 1, with the rows `extra_a` and `extra_b` after them."""
    return [
        Window(slug, 2025, 100, 110, tuple(
            row(p, 1, code=v[column], disadvantaged=bool(v[2]), send=bool(v[3]))
            for p, v in pupils.items()
        ) + tuple(extra))
        for slug, column, extra in (("a", 0, extra_a), ("b", 1, extra_b))
    ]  # fmt: skip


def test_it_counts_pupils_moving_between_teacher_assessments(progress):
    # Pupil 13 has a code at A only (left), 14 at B only (joined), 15 a row at B with no code
    # (not assessed): none is matched. Comparison school 2: 21 WTS -> EXS, 22 GDS -> GDS.
    windows = teacher_assessed(
        TWELVE,
        extra_a=[row(13, 1, code=EXS), row(15, 1, code=WTS), row(21, 2, code=WTS),
                 row(22, 2, code=GDS)],
        extra_b=[row(14, 1, code=GDS), row(15, 1), row(21, 2, code=EXS), row(22, 2, code=GDS)],
    )  # fmt: skip
    programme = programme_of(windows, threshold=1)
    entry = progress(programme)["programme", 7, None, "a", "b"]
    found = entry["transitions"]
    # Reading each pupil of TWELVE into its cell: from PKF, 1 stays and 2 moves to WTS; from
    # WTS, 3 stays, 4 and 5 reach EXS; from EXS, 6 falls to WTS, 7 and 8 stay, 9 reaches GDS;
    # from GDS, 10 falls to EXS, 11 and 12 stay.
    assert found["all"] == codes([1, 1, 0, 0], [0, 1, 2, 0], [0, 1, 2, 1], [0, 0, 1, 2])
    # Disadvantaged: 1 (PKF-PKF), 2 (PKF-WTS), 4 (WTS-EXS), 8 (EXS-EXS), 12 (GDS-GDS).
    assert found["disadvantaged"] == codes([1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1])
    assert found["other"] == codes([0, 0, 0, 0], [0, 1, 1, 0], [0, 1, 1, 1], [0, 0, 1, 1])
    # SEND: 6 (EXS-WTS), 10 (GDS-EXS), 12 (GDS-GDS).
    assert found["send"] == codes([0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1])
    assert found["non_send"] == codes([1, 1, 0, 0], [0, 1, 2, 0], [0, 0, 2, 1], [0, 0, 0, 1])
    assert list(found) == GROUPS
    assert all(list(found[g]) == CODES for g in GROUPS)
    assert entry["bands"] == {"from": CODES, "to": CODES}
    assert entry["n_matched"] == 12
    # No scores: no gains, no gap changes, no effect size, though there are comparison schools.
    assert entry["groups"]["all"] == {"n": 12, "mean_gain": None}
    assert entry["groups"]["disadvantaged"] == {"n": 5, "mean_gain": None}
    assert entry["gap_change"]["disadvantaged"] == dict.fromkeys(
        ("mean_points", "pct_expected_points", "gap_index", "mean_points_ci")
    )
    assert entry["effect_size"] is None
    # Of the 14 pupils of school 1 assessed at A (1 to 13 and 15), 13 and 15 were not at B.
    assert entry["attrition"]["all"] == {"lost": 2, "of": 14}
    assert entry["attrition"]["disadvantaged"] == {"lost": 0, "of": 5}
    comparison = progress(programme)["comparison", 7, None, "a", "b"]["transitions"]["all"]
    assert comparison == codes([0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 1])
    check(programme)


def mixed() -> Programme:
    """A scored (standards 100 and 110), B teacher assessed, C scored again. Pupil 7 has no
    score at A (matched from B only); pupil 8 a code at A, which a scored window does not
    count."""
    a = [(1, 95), (2, 98), (3, 104), (4, 109.5), (5, 110), (6, 120), (7, None)]
    b = [(1, WTS), (2, EXS), (3, EXS), (4, GDS), (5, EXS), (6, GDS), (7, EXS), (8, GDS)]
    c = [(1, 99), (2, 101), (3, 106), (4, 111), (5, 112), (6, 118), (7, 105), (8, 100)]
    windows = [
        Window("a", 2025, 100, 110, tuple(row(p, 1, score=s) for p, s in a) + (
            row(8, 1, code=GDS),)),
        Window("b", 2025, 100, 110, tuple(row(p, 1, code=code) for p, code in b)),
        Window("c", 2026, 100, 110, tuple(row(p, 1, score=s) for p, s in c)),
    ]  # fmt: skip
    return programme_of(windows, threshold=1)


def test_a_scored_window_and_a_teacher_assessed_one_each_keep_their_own_bands(progress):
    found = progress(mixed())
    to_codes = found["programme", 7, None, "a", "b"]
    # A to B: 1 below -> WTS, 2 below -> EXS, 3 expected -> EXS, 4 (109.5) expected -> GDS,
    # 5 (110) higher -> EXS, 6 higher -> GDS; 7 and 8 have no score at A.
    assert to_codes["bands"] == {"from": SCORED, "to": CODES}
    assert to_codes["transitions"]["all"] == matrix(
        [[0, 1, 1, 0], [0, 0, 1, 1], [0, 0, 1, 1]], SCORED, CODES
    )
    assert to_codes["n_matched"] == 6
    assert to_codes["effect_size"] is None
    assert to_codes["groups"]["all"]["mean_gain"] is None
    # B to C: 1 WTS -> below (99), 2, 3 and 7 EXS -> expected, 5 EXS -> higher (112), 4 and 6
    # GDS -> higher, 8 GDS -> expected (100).
    from_codes = found["programme", 7, None, "b", "c"]
    assert from_codes["bands"] == {"from": CODES, "to": SCORED}
    assert from_codes["transitions"]["all"] == matrix(
        [[0, 0, 0], [1, 0, 0], [0, 3, 1], [0, 1, 2]], CODES, SCORED
    )
    assert from_codes["n_matched"] == 8
    # A to C, both scored, keeps its gains: 4, 3, 2, 1.5, 2 and -2, on average 1.75.
    scored = found["programme", 7, None, "a", "c"]
    assert scored["bands"] == {"from": SCORED, "to": SCORED}
    assert scored["n_matched"] == 6
    assert scored["transitions"]["all"] == matrix([[1, 1, 0], [0, 1, 1], [0, 0, 2]], SCORED, SCORED)
    check(mixed())


def test_the_engine_gives_a_scored_pairs_gain():
    assert (
        from_engine(mixed())["programme", 7, None, "a", "c"]["groups"]["all"]["mean_gain"] == 1.75
    )


# Threshold 3, teacher assessments at school 1: (code at A, at B, how many, disadvantaged).
SMALL_CELLS = [(PKF, WTS, 3, 1), (WTS, EXS, 3, 1), (WTS, EXS, 2, 0), (EXS, EXS, 4, 0),
               (GDS, GDS, 3, 0)]  # fmt: skip


def cohort(lines, extra=()) -> Programme:
    pupils, number = {}, 0
    for before, after, count, disadvantaged in lines:
        for _ in range(count):
            number += 1
            pupils[number] = (before, after, disadvantaged, 0)
    return programme_of(teacher_assessed(pupils, extra, extra), threshold=3)


def test_cells_under_the_threshold_are_withheld_in_every_group(progress):
    # 16 pupils: 6 disadvantaged (3 PKF -> WTS, 3 WTS -> EXS), 10 others (2 WTS -> EXS, 4 EXS
    # -> EXS, 1 EXS -> GDS, 3 GDS -> GDS); nobody has SEND. The others' 2 (WTS -> EXS) and
    # the 1 (EXS -> GDS) are under 3: both positions are withheld in every group, and being
    # two, nothing more.
    programme = cohort(SMALL_CELLS + [(EXS, GDS, 1, 0)])
    found = progress(programme)["programme", 7, None, "a", "b"]["transitions"]
    assert (
        found["all"]
        == found["non_send"]
        == codes([0, 3, 0, 0], [0, 0, None, 0], [0, 0, 4, None], [0, 0, 0, 3])
    )
    assert found["disadvantaged"] == codes(
        [0, 3, 0, 0], [0, 0, None, 0], [0, 0, 0, None], [0, 0, 0, 0]
    )
    assert found["other"] == codes([0, 0, 0, 0], [0, 0, None, 0], [0, 0, 4, None], [0, 0, 0, 3])
    assert found["send"] == codes([0, 0, 0, 0], [0, 0, None, 0], [0, 0, 0, None], [0, 0, 0, 0])
    check(programme)


def test_one_small_cell_withholds_the_first_smallest_other_in_reading_order(progress):
    # Without the EXS -> GDS pupil only WTS -> EXS (the others' 2) is under 3; alone it would
    # follow from the groups' counts, so the smallest other cell of "all" goes with it: PKF ->
    # WTS and GDS -> GDS both hold 3, and PKF -> WTS comes first reading along the rows.
    # Comparison school 2 has 2 pupils: every group is withheld whole, and its gaps.
    extra = [row(21, 2, code=WTS), row(22, 2, code=EXS)]
    programme = cohort(SMALL_CELLS, extra)
    entries = progress(programme)
    found = entries["programme", 7, None, "a", "b"]["transitions"]
    assert found["all"] == codes([0, None, 0, 0], [0, 0, None, 0], [0, 0, 4, 0], [0, 0, 0, 3])
    comparison = entries["comparison", 7, None, "a", "b"]
    withheld = codes(*[[None] * 4] * 4) | {"suppressed": True}
    assert all(comparison["transitions"][g] == withheld for g in GROUPS)
    assert comparison["n_matched"] is None
    assert comparison["gap_change"]["disadvantaged"]["suppressed"] is True
    check(programme)


def test_the_report_command_prints_a_teacher_assessed_pairs_transitions(
    client, world, window, send_file, act
):
    """Through the upload pipeline: scores at the baseline, codes only at the end of year."""
    end = AssessmentWindow.objects.create(
        programme=world.programme, slug="end-ta", name="End (TA)", kind="end",
        date=date(2026, 6, 22), teacher_assessment=True,
    )  # fmt: skip
    urn = world.school_a.urn
    # Pupils 1 to 6 score 95, 98, 104, 105, 112, 115 (below, below, expected, expected,
    # higher, higher), then are assessed WTS, EXS, EXS, GDS, EXS, GDS.
    scores = {1: 95, 2: 98, 3: 104, 4: 105, 5: 112, 6: 115}
    codes = {1: "WTS", 2: "EXS", 3: "EXS", 4: "GDS", 5: "EXS", 6: "GDS"}
    client.force_login(world.hub_lead)
    for target, row in (
        (window, lambda p: {"Scaled Score": str(scores[p])}),
        (end, lambda p: {"Scaled Score": "", "TA": codes[p]}),
    ):
        rows = [pupil_row(p, urn, **row(p)) for p in scores]
        act(send_file(target, results_csv(rows)), "confirm")
    out = StringIO()
    call_command("evaluation_report", "--programme", world.programme.slug, stdout=out)
    progress = json.loads(out.getvalue())["progress"]
    entry = next(
        e for e in progress if e["scope"]["type"] == "programme" and e["year_group"] is None
    )
    assert (entry["from"], entry["to"], entry["n_matched"]) == ("baseline", "end-ta", 6)
    assert entry["bands"] == {"from": SCORED, "to": CODES}
    # Each pupil in a position of its own: one pupil, under the threshold of 5, so each of those
    # six positions is withheld; the empty ones show 0.
    assert entry["transitions"]["all"] == matrix(
        [[0, None, None, 0], [0, 0, None, None], [0, 0, None, None]], SCORED, CODES
    )
    assert entry["groups"]["all"] == {"n": 6, "mean_gain": None}
    assert entry["effect_size"] is None
