"""The engine's input: one assessment window's results, a pupil a row, and the pupils matched
across two windows."""

from dataclasses import dataclass, field, fields

import numpy as np

from ..standards import CODES, SCORE_BANDS, STANDARDS
from .definitions import GAPS


@dataclass
class WindowRows:
    """One assessment window's results, one element a pupil (a pupil at most once), with the
    pupil's school, year group and groups as recorded for the window's academic year."""

    slug: str
    expected: float
    higher: float
    pupil: np.ndarray
    school: np.ndarray
    year_group: np.ndarray
    score: np.ndarray  # NaN where the pupil has a code only
    code: np.ndarray  # the teacher assessment's rank (standards.CODES), 0 for none
    disadvantaged: np.ndarray
    send: np.ndarray
    eal: np.ndarray  # -1 not known, 0 no, 1 yes
    gender: np.ndarray  # 0 not known, 1 female, 2 male
    # Windows of one academic year share their pupils' coverage (None: a year of its own).
    academic_year: int | None = None
    scored: bool = field(init=False)

    def __post_init__(self):
        self.scored = bool(np.any(~np.isnan(self.score)))

    def take(self, index: np.ndarray) -> "WindowRows":
        """The rows of `index`, in that order, as a window of their own."""
        arrays = {f.name: getattr(self, f.name)[index] for f in fields(self) if _per_row(f)}
        return WindowRows(slug=self.slug, expected=self.expected, higher=self.higher,
                          academic_year=self.academic_year, **arrays)  # fmt: skip

    def population(self) -> np.ndarray:
        """Pupils with a score; in a window of teacher assessments only, pupils with a code."""
        return ~np.isnan(self.score) if self.scored else self.code > 0

    def value(self) -> np.ndarray:
        """What pupils are ranked on: the score, or the code's order."""
        return self.score if self.scored else self.code.astype(float)

    def at_expected(self) -> np.ndarray:
        if self.scored:
            return np.nan_to_num(self.score, nan=-np.inf) >= self.expected
        return self.code >= CODES["EXS"]

    def at_higher(self) -> np.ndarray:
        if self.scored:
            return np.nan_to_num(self.score, nan=-np.inf) >= self.higher
        return self.code == CODES["GDS"]

    @property
    def bands(self) -> tuple[str, ...]:
        """The bands of this window's transition matrices, lowest first."""
        return SCORE_BANDS if self.scored else tuple(STANDARDS)

    def band(self) -> np.ndarray:
        """Each pupil's band, its place in `bands`: how many of the expected and higher
        standards the score reaches (a score at the higher reaches the expected too), or the
        teacher assessment's rank less one (-1 for pupils not counted)."""
        if self.scored:
            return self.at_expected().astype(np.int8) + self.at_higher()
        return self.code.astype(np.int8) - CODES["PKF"]

    def behind(self, index: np.ndarray) -> dict[str, np.ndarray]:
        """For each of GAPS, whether each pupil of `index` is in the group behind (a group
        named as the attribute that marks it)."""
        return {gap: getattr(self, behind)[index] for gap, (_, behind) in GAPS.items()}

    def splits(self, index: np.ndarray) -> list[tuple[np.ndarray | None, dict[str, int]]]:
        """The ways the pupils of `index` divide into GROUPS: for each, each pupil's part
        (None: one part, everyone) and the group that each part is (a part may be none)."""
        return [
            (None, {"all": 0}),
            (self.disadvantaged[index], {"other": 0, "disadvantaged": 1}),
            (self.send[index], {"non_send": 0, "send": 1}),
            (self.eal[index] + 1, {"non_eal": 1, "eal": 2}),  # 0: not known
            (self.gender[index], {"female": 1, "male": 2}),  # 0: not known
        ]


def _per_row(f) -> bool:
    return f.type is np.ndarray


@dataclass
class Matched:
    """The pupils counted at both of two windows (population(): with a score, or in a window
    of teacher assessments only, with a code), aligned: element i of every array is one pupil.
    `earlier` holds their rows of the earlier window (school, year group and groups as they
    were then), in order of earlier value; `after` their later score (NaN throughout where the
    later window has teacher assessments only), `after_expected` whether they reach the later
    window's expected standard, and `after_band` their band there (WindowRows.band). Nothing
    of the later window is left to be indexed by earlier rows."""

    earlier: WindowRows
    after: np.ndarray
    after_expected: np.ndarray
    after_band: np.ndarray
    # For attrition: the whole earlier window, and which of its rows are counted, matched
    # or not (indices of that window's own arrays).
    window_before: WindowRows
    assessed_before: np.ndarray

    @classmethod
    def of(cls, earlier: WindowRows, later: WindowRows) -> "Matched":
        first = np.flatnonzero(earlier.population())
        second = np.flatnonzero(later.population())
        _, at_first, at_second = np.intersect1d(
            earlier.pupil[first], later.pupil[second], assume_unique=True, return_indices=True
        )
        earlier_rows, later_rows = first[at_first], second[at_second]
        order = np.argsort(earlier.value()[earlier_rows], kind="stable")  # see ranks_within
        earlier_rows, later_rows = earlier_rows[order], later_rows[order]
        return cls(
            earlier=earlier.take(earlier_rows),
            after=later.score[later_rows],
            after_expected=later.at_expected()[later_rows],
            after_band=later.band()[later_rows],
            window_before=earlier,
            assessed_before=first,
        )

    @property
    def before(self) -> np.ndarray:
        return self.earlier.score
