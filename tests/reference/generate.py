"""Hypothesis strategies for whole programmes: enrolled schools in cohorts, local authorities
and work groups (a school in several or none), comparison schools or none; two or three
windows in date order, in one academic year or several, scored, teacher assessment only or
both (so pairs of scored windows, of teacher-assessed ones, and of one of each); pupils
joining, leaving, changing school or year group from one academic year to the next; missing
and tied scores, and windows where every score is the same; rows in any order; thresholds 1
to 6 with groups around them."""

from fractions import Fraction

from hypothesis import strategies as st

from .model import Programme, Row, Window

SCALES = [(100, 110), (100, 115), (4, 7)]  # (expected, higher)
KINDS = ["scored", "scored", "teacher assessment", "both"]


@st.composite
def parts(draw, schools: list[int], kind: str) -> tuple:
    """Cohorts or local authorities: each school in exactly one (some may have none)."""
    count = draw(st.integers(1, 3))
    ids = draw(st.lists(st.integers(1, 6), min_size=count, max_size=count, unique=True))
    where = [draw(st.integers(0, count - 1)) for _ in schools]
    return tuple(
        (
            scope_id,
            f"{kind} {scope_id}",
            tuple(s for s, at in zip(schools, where, strict=True) if at == i),
        )
        for i, scope_id in enumerate(ids)
    )


@st.composite
def work_groups(draw, schools: list[int]) -> tuple:
    """Work groups of enrolled schools: a school may be in several, or none."""
    count = draw(st.integers(0, 3))
    ids = draw(st.lists(st.integers(1, 6), min_size=count, max_size=count, unique=True))
    return tuple(
        (wg, f"work group {wg}", tuple(draw(st.lists(st.sampled_from(schools), unique=True))))
        for wg in ids
    )


# Strategies made once (making one for each draw costs more than the draw).
QUARTER = st.integers(1, 4)
CODE = st.integers(0, 4)
FIFTH = st.integers(0, 4)
EAL = st.sampled_from([-1, 0, 1])
GENDER = st.sampled_from([0, 1, 2])
SHARE = st.sampled_from([0, 1, 2, 4])


def scores(expected: int, higher: int):
    """Scores around the standards (so many ties), whole or in halves."""
    low, high = expected - 4, higher + 2
    whole = st.integers(low, high).map(Fraction)
    halves = st.integers(2 * low, 2 * high).map(lambda v: Fraction(v, 2))
    return st.one_of(whole, whole, halves)


SCORES = {scale: scores(*scale) for scale in SCALES}


def pupil_year(draw, schools, year_groups, shares: tuple) -> dict:
    """A pupil's record for one academic year: school, year group and groups (disadvantaged
    and SEND in shares[0] and shares[1] quarters of the draws)."""
    return {
        "school": draw(schools),
        "year_group": draw(year_groups),
        "disadvantaged": draw(QUARTER) <= shares[0],
        "send": draw(QUARTER) <= shares[1],
        "eal": draw(EAL),
        "gender": draw(GENDER),
    }


def result(draw, kind: str, scale: tuple, flat: bool) -> tuple:
    """(score or None, code) of one pupil at a window of this kind (in a flat window every
    score is the expected standard: no spread, so intervals of se 0)."""
    score = None
    if kind != "teacher assessment" and draw(FIFTH) > 0:  # a fifth miss one
        score = Fraction(scale[0]) if flat else draw(SCORES[scale])
    code = 0 if kind == "scored" else draw(CODE)
    return score, code


def national(draw, slug: str):
    if not draw(st.booleans()):
        return None
    non_disadvantaged, non_send = (draw(st.integers(400, 950)) / 10 for _ in range(2))
    return {
        "name": f"National {slug}",
        "pct_expected_non_disadvantaged": non_disadvantaged,
        "pct_expected_non_send": non_send,
    }


@st.composite
def windows(draw, pupils: list[int], schools: list[int], year_groups: list[int]) -> tuple:
    """Two or three windows in date order, with their rows."""
    count = draw(st.integers(2, 3))
    shares = (draw(SHARE), draw(SHARE))
    school_of, year_of = st.sampled_from(schools), st.sampled_from(year_groups)
    years = [2024]
    for _ in range(count - 1):
        years.append(years[-1] + draw(st.integers(0, 1)))
    records = {}  # (pupil, academic year) -> record: the same in each window of that year
    made = []
    for number, year in enumerate(years, start=1):
        slug = f"w{number}"
        scale = draw(st.sampled_from(SCALES))
        kind = draw(st.sampled_from(KINDS))
        presence = draw(st.sampled_from([1, 3, 4, 4]))  # of 4: how likely a pupil has a row
        flat = draw(FIFTH) == 0
        rows = []
        for pupil in pupils:
            if draw(QUARTER) > presence:
                continue  # not in this window: joined later or left
            if (pupil, year) not in records:
                records[pupil, year] = pupil_year(draw, school_of, year_of, shares)
            score, code = result(draw, kind, scale, flat)
            rows.append(Row(pupil=pupil, score=score, code=code, **records[pupil, year]))
        rows = draw(st.permutations(rows))
        window = Window(slug, year, *scale, tuple(rows), national(draw, slug))
        made.append(window)
    return tuple(made)


@st.composite
def programmes(draw) -> Programme:
    base = draw(st.sampled_from([0, 0, 1 << 22]))  # small ids, or wide ones
    school_ids = draw(st.lists(st.integers(1, 40), min_size=9, max_size=9, unique=True))
    school_ids = [base + school for school in school_ids]
    n_enrolled, n_comparison = draw(st.integers(1, 5)), draw(st.sampled_from([0, 1, 1, 2, 3]))
    enrolled = school_ids[:n_enrolled]
    comparison = school_ids[n_enrolled : n_enrolled + n_comparison]
    with_outside = draw(st.booleans())  # a pupil's school that is in no scope
    schools = enrolled + comparison + ([school_ids[-1]] if with_outside else [])
    year_groups = draw(st.lists(st.integers(0, 13), min_size=1, max_size=3, unique=True))
    n_pupils = draw(st.integers(0, 40))
    pupils = draw(st.lists(st.integers(1, 10**9), min_size=n_pupils, max_size=n_pupils,
                           unique=True))  # fmt: skip
    return Programme(
        id=draw(st.integers(1, 9)),
        name="Programme",
        enrolled=tuple(enrolled),
        comparison=tuple(comparison),
        cohorts=draw(parts(enrolled, "cohort")),
        local_authorities=draw(parts(enrolled, "local authority")),
        work_groups=draw(work_groups(enrolled)),
        school_names={school: f"School {school}" for school in school_ids},
        windows=draw(windows(pupils, schools, year_groups)),
        threshold=draw(st.integers(1, 6)),
    )
