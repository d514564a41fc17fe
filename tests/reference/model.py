"""A programme described in plain Python: its schools and the scopes they make up, its
assessment windows in date order, and each window's result rows.

Both the reference figures (figures.py, progress.py) and the engine's inputs (built in the
test) are made from one such description."""

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

YEAR_GROUPS = range(14)  # 0 (Reception) to 13
ALL_YEARS = None  # the "all year groups" key

NO_CODE, PKF, WTS, EXS, GDS = 0, 1, 2, 3, 4
EAL_UNKNOWN, EAL_NO, EAL_YES = -1, 0, 1
GENDER_UNKNOWN, FEMALE, MALE = 0, 1, 2


@dataclass(frozen=True)
class Row:
    """One pupil's result at one window, with the school, year group and groups recorded for
    the pupil in that window's academic year."""

    pupil: int
    school: int
    year_group: int
    score: Fraction | None  # None: no score
    code: int  # NO_CODE, PKF, WTS, EXS or GDS
    disadvantaged: bool
    send: bool
    eal: int
    gender: int


@dataclass(frozen=True)
class Window:
    slug: str
    academic_year: int
    expected: int
    higher: int
    rows: tuple[Row, ...]  # in the order they are given to the engine
    national: dict | None = None  # {"name", "pct_expected_non_disadvantaged", "..._non_send"}

    # (cached_property: worked out once per window, the answers never change)
    @cached_property
    def scored(self) -> bool:
        """A window is scored if any row has a score; otherwise it is teacher assessment only."""
        return any(row.score is not None for row in self.rows)

    @cached_property
    def _counted(self) -> tuple[Row, ...]:
        if self.scored:
            return tuple(row for row in self.rows if row.score is not None)
        return tuple(row for row in self.rows if row.code != NO_CODE)

    def counted(self) -> tuple[Row, ...]:
        """The rows counted at this window: with a score, or (teacher assessment only) with a
        code."""
        return self._counted

    @cached_property
    def _by_pupil(self) -> dict[int, Row]:
        return {row.pupil: row for row in self.rows}

    def row_of(self, pupil: int) -> Row | None:
        """The pupil's row at this window (a pupil has at most one), or None."""
        return self._by_pupil.get(pupil)


@dataclass(frozen=True)
class Scope:
    type: str  # programme, comparison, cohort, local_authority, work_group, school
    id: int
    name: str
    schools: frozenset[int]
    comparison_school: bool | None = None  # only for scopes of type school

    def as_json(self) -> dict:
        scope = {"type": self.type, "id": self.id, "name": self.name}
        if self.type == "school":
            scope["comparison"] = self.comparison_school
        return scope


@dataclass(frozen=True)
class Programme:
    id: int
    name: str
    enrolled: tuple[int, ...]  # school ids, in the order of the school scopes
    comparison: tuple[int, ...]
    cohorts: tuple[tuple[int, str, tuple[int, ...]], ...]  # (id, name, school ids)
    local_authorities: tuple[tuple[int, str, tuple[int, ...]], ...]
    work_groups: tuple[tuple[int, str, tuple[int, ...]], ...]
    school_names: dict[int, str]
    windows: tuple[Window, ...]  # in date order
    threshold: int = 5
    extra: dict = field(default_factory=dict)  # free notes for whoever reads a failing example

    def scopes(self) -> list[Scope]:
        """Every scope of the report, in the order of the engine's memberships."""
        return list(self._scopes)

    @cached_property
    def _scopes(self) -> tuple[Scope, ...]:
        scopes = [Scope("programme", self.id, self.name, frozenset(self.enrolled))]
        if self.comparison:
            name = f"{self.name}: comparison schools"
            scopes.append(Scope("comparison", self.id, name, frozenset(self.comparison)))
        for scope_type, parts in (
            ("cohort", self.cohorts),
            ("local_authority", self.local_authorities),
            ("work_group", self.work_groups),
        ):
            scopes += [Scope(scope_type, i, name, frozenset(ids)) for i, name, ids in parts]
        for school in self.enrolled + self.comparison:
            in_comparison = school in self.comparison
            name = self.school_names[school]
            scopes.append(Scope("school", school, name, frozenset([school]), in_comparison))
        return tuple(scopes)

    def comparison_scope(self) -> Scope | None:
        return next((s for s in self.scopes() if s.type == "comparison"), None)


def in_key(row: Row, scope: Scope, year_group: int | None) -> bool:
    """A row counts in a scope when its school is one of the scope's; in a year group's key
    when its year group is that one (every year group counts in the ALL_YEARS key)."""
    return row.school in scope.schools and year_group in (ALL_YEARS, row.year_group)


def keys() -> list[int | None]:
    return [*YEAR_GROUPS, ALL_YEARS]
