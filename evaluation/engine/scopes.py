"""Which scope each school is in, and how rows and school-by-year-group cells add up to the
keys of a scope type: key = scope number x YEARS + year group, ALL_YEARS for all of them."""

from dataclasses import dataclass
from functools import cached_property

import numpy as np

YEARS = 15  # year groups R (0) to 13; key slot 14 is "all year groups"
ALL_YEARS = 14


@dataclass
class Membership:
    """Which scope each school is in: for each scope, its schools. A school may be in several
    scopes of one type (work groups)."""

    scope_type: str
    scopes: list[tuple[int, str]]  # (id, name)
    school_ids: list[list[int]]

    @property
    def size(self) -> int:
        """How many keys the scopes have."""
        return len(self.scopes) * YEARS

    @cached_property
    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(school id, scope number) of every school in a scope, sorted by school."""
        pairs = [(s, number) for number, ids in enumerate(self.school_ids) for s in ids]
        if not pairs:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        schools, numbers = np.array(pairs, dtype=np.int64).T
        order = np.argsort(schools, kind="stable")
        return schools[order], numbers[order]

    def rows(self, schools: np.ndarray, at: np.ndarray, index: np.ndarray):
        """(row, scope number) for every row of `index` in a scope, a row once per scope it is
        in; `schools` are the rows' schools (sorted, distinct) and `at` each row's place among
        them. Looked up once per school, then gathered: a programme has 1,800 schools and a
        million rows."""
        pair_schools, numbers = self.pairs
        if not len(pair_schools) or len(index) == 0:
            return np.empty(0, int), np.empty(0, int)
        left = np.searchsorted(pair_schools, schools, "left")
        in_scopes = np.searchsorted(pair_schools, schools, "right") - left
        if in_scopes.max() <= 1:  # no school in two scopes: one scope a row at most
            inside = in_scopes[at] == 1
            return index[inside], numbers[left[at[inside]]]
        counts = in_scopes[at]
        rows = np.repeat(index, counts)
        first = np.repeat(left[at], counts)
        offset = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
        return rows, numbers[first + offset]

    def cells(self, schools: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """How the cells of a school-by-year-group table (school i's year y at i * YEARS + y,
        `schools` sorted) add up to this membership's keys: (cell, key) pairs, a cell counting
        towards its scope's year group and its scope's all-years key; and the key count."""
        at, numbers = self._places(schools)
        years = np.arange(ALL_YEARS)
        cells = (at[:, None] * YEARS + years).ravel()
        by_year = (numbers[:, None] * YEARS + years).ravel()
        all_years = np.repeat(numbers * YEARS + ALL_YEARS, len(years))
        return np.tile(cells, 2), np.concatenate([by_year, all_years]), self.size

    def clusters(self, schools: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """As cells, but each key's clusters (the schools, for the ICC) once: a year group's
        are its cells, all year groups' the slots ALL_YEARS of its schools."""
        at, numbers = self._places(schools)
        years = np.arange(YEARS)
        return (
            (at[:, None] * YEARS + years).ravel(),
            (numbers[:, None] * YEARS + years).ravel(),
            self.size,
        )

    def _places(self, schools: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(place among `schools`, scope number) of every school of a scope among them."""
        pair_schools, numbers = self.pairs
        at = np.searchsorted(schools, pair_schools)
        inside = at < len(schools)
        inside[inside] = schools[at[inside]] == pair_schools[inside]
        return at[inside], numbers[inside]

    def keys(self, year_group, schools, at, index):
        """(key, row) of every row of `index` at each key it counts towards (its scopes' year
        group and all year groups), and the key count; `year_group` is each row's."""
        rows, scope = self.rows(schools, at, index)
        keys = np.concatenate([scope * YEARS + year_group[rows], scope * YEARS + ALL_YEARS])
        return keys, np.concatenate([rows, rows]), self.size

    def scope(self, key: int, comparison_schools: frozenset) -> dict:
        """A key's scope as the report names it; a school says whether it is a comparison
        school, so pages show it as the report was computed, not as today's lists say."""
        scope_id, name = self.scopes[int(key) // YEARS]
        scope = {"type": self.scope_type, "id": scope_id, "name": name}
        if self.scope_type == "school":
            scope["comparison"] = scope_id in comparison_schools
        return scope


def year_of(key: int) -> int | None:
    year = int(key) % YEARS
    return None if year == ALL_YEARS else year


def distinct(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(ids, return_inverse=True) for ids of rows (never negative): marked in a
    table by id rather than sorted, where the largest id is below a few million, as a
    school's is (a million results name a few thousand schools)."""
    if len(ids) == 0 or ids.max() >= 1 << 22:
        return np.unique(ids, return_inverse=True)
    seen = np.zeros(ids.max() + 1, bool)
    seen[ids] = True
    return np.flatnonzero(seen), (np.cumsum(seen) - 1)[ids]


def school_cells(window, index):
    """The schools of the rows of `index` (sorted), each row's place among them, its cell in
    a school-by-year-group table, and the table's size."""
    schools, at = distinct(window.school[index])
    return schools, at, at * YEARS + window.year_group[index], len(schools) * YEARS
