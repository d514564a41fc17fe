"""The evaluation report's statistics, computed set-based with NumPy: every figure for every
scope, year group and window comes from a few passes of bincount over the results, never a
query or a loop per school. The definitions are on the "How figures are calculated" page
(templates/evaluation/method.html); tests check them against figures worked out by hand."""

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

GROUPS = ("all", "disadvantaged", "other", "send", "non_send", "eal", "non_eal", "female", "male")
# Pairs that make up the whole: if one side is too small to show, so is the other, or it
# could be worked back from "all".
PAIRS = (("disadvantaged", "other"), ("send", "non_send"), ("eal", "non_eal"), ("female", "male"))
# Each gap: (the group compared with, the group that a positive gap says is behind).
GAPS = {"disadvantaged": ("other", "disadvantaged"), "send": ("non_send", "send")}
EFFECT_GROUPS = ("all", "disadvantaged", "send")
# The EEF Teaching and Learning Toolkit's conversion of an effect size (to 2 decimal places)
# to months' progress: the upper bound of 0, 1, 2 ... 11 months; above the last is 12.
MONTHS_UPPER_BOUNDS = (0.01, 0.09, 0.18, 0.26, 0.35, 0.44, 0.52, 0.61, 0.69, 0.78, 0.87, 0.95)
CODES = {"": 0, "PKF": 1, "WTS": 2, "EXS": 3, "GDS": 4}
YEARS = 15  # year groups R (0) to 13; key slot 14 is "all year groups"
ALL_YEARS = 14


@dataclass
class WindowRows:
    """One assessment window's results, one element a pupil."""

    slug: str
    expected: float
    higher: float
    pupil: np.ndarray
    school: np.ndarray
    year_group: np.ndarray
    score: np.ndarray  # NaN where the pupil has a code only
    code: np.ndarray  # 0 none, 1 PKF, 2 WTS, 3 EXS, 4 GDS
    disadvantaged: np.ndarray
    send: np.ndarray
    eal: np.ndarray  # -1 not known, 0 no, 1 yes
    gender: np.ndarray  # 0 not known, 1 female, 2 male
    scored: bool = field(init=False)

    def __post_init__(self):
        self.scored = bool(np.any(~np.isnan(self.score)))

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


@dataclass
class Membership:
    """Which scope each school is in: for each scope, its schools. A school may be in several
    scopes of one type (work groups)."""

    scope_type: str
    scopes: list[tuple[int, str]]  # (id, name)
    school_ids: list[list[int]]

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
        pair_schools, numbers = self.pairs
        at = np.searchsorted(schools, pair_schools)
        inside = at < len(schools)
        inside[inside] = schools[at[inside]] == pair_schools[inside]
        at, numbers = at[inside], numbers[inside]
        years = np.arange(ALL_YEARS)
        cells = (at[:, None] * YEARS + years).ravel()
        by_year = (numbers[:, None] * YEARS + years).ravel()
        all_years = np.repeat(numbers * YEARS + ALL_YEARS, len(years))
        return np.tile(cells, 2), np.concatenate([by_year, all_years]), len(self.scopes) * YEARS


def ranks_within(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """1-based rank of each value among those with the same key, ascending, ties sharing the
    mean of their ranks. Sorted by value, then (stably) by key: fastest when the values come
    in a few ascending runs, as when the caller takes its rows in value order, since Timsort
    then only merges the runs, and a key of 16 bits is radix-sorted."""
    n = len(keys)
    if n == 0:
        return np.empty(0)
    order = np.argsort(values, kind="stable")
    narrow = keys.astype(np.uint16) if keys.max() < 1 << 16 else keys
    order = order[np.argsort(narrow[order], kind="stable")]
    ordered_keys, ordered_values = keys[order], values[order]
    new_run = np.empty(n, bool)
    new_run[0] = True
    np.not_equal(ordered_keys[1:], ordered_keys[:-1], out=new_run[1:])
    new_run[1:] |= ordered_values[1:] != ordered_values[:-1]
    run_start = np.flatnonzero(new_run)  # runs of one key and one value
    run_length = np.diff(run_start, append=n)
    count = np.bincount(keys)
    key_start = np.cumsum(count) - count
    run_rank = run_start - key_start[ordered_keys[run_start]] + (run_length + 1) / 2
    ranks = np.empty(n)
    ranks[order] = np.repeat(run_rank, run_length)
    return ranks


class Sums:
    """Per key and group: count, mean, spread (sample SD) and shares of flags, each computed
    once for every key at once, then read per key. Built from the totals behind them (count,
    sum, sum of squares, count of each flag), which add up: the sums of a school's year
    groups make those of its local authority, cohort or programme."""

    def __init__(self, totals: dict[str, np.ndarray]):
        self.totals = totals  # group -> rows n, sum, sum of squares, then one per flag
        self.n, self._mean, self._sd, self._shares = {}, {}, {}, {}
        with np.errstate(invalid="ignore", divide="ignore"):
            for group, (n, total, squares, *flags) in totals.items():
                self.n[group] = n
                self._mean[group] = total / n
                variance = (squares - total**2 / n) / (n - 1)
                self._sd[group] = np.sqrt(np.clip(variance, 0, None))
                self._shares[group] = [100 * flag / n for flag in flags]

    @classmethod
    def of_rows(cls, keys, size, splits, value, flags=()) -> "Sums":
        """The sums of each group (see WindowRows.splits) at each key: a split's groups in one
        count, the part of a pupil of key k being counted at k * parts + part."""
        weights = (None, value, value * value, *flags)
        totals = {}
        for part, groups in splits:
            parts = max(groups.values()) + 1
            bins = keys if part is None else keys * parts + part
            counted = np.stack([np.bincount(bins, w, size * parts) for w in weights])
            for group, number in groups.items():
                totals[group] = counted[:, number::parts]
        return cls(totals)

    def regrouped(self, sources: np.ndarray, keys: np.ndarray, size: int) -> "Sums":
        """Totals of key keys[i] = the sum of those of key sources[i], over all i."""
        return Sums(
            {
                group: np.stack([np.bincount(keys, row[sources], size) for row in totals])
                for group, totals in self.totals.items()
            }
        )

    def mean(self, group):
        return self._mean[group]

    def sd(self, group):
        return self._sd[group]

    def share(self, group, flag: int):
        return self._shares[group][flag]


def gap_index(keys, size, values, behind: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """For each gap, 20 x (mean p of the pupils ahead - mean p of those behind), where
    p = (rank - 0.5) / N. A gap's two groups make up all N pupils of a key, whose p add up to
    N / 2: the sum over the pupils behind gives both means."""
    ranks = ranks_within(keys, values)
    count = np.bincount(keys, minlength=size).astype(float)
    result = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (ranks - 0.5) / count[keys]
        for gap, mask in behind.items():
            n_behind = np.bincount(keys, mask, size)
            p_behind = np.bincount(keys, p * mask, size)
            mean_ahead = (count / 2 - p_behind) / (count - n_behind)
            result[gap] = 20 * (mean_ahead - p_behind / n_behind)
    return result


def months_progress(g: float) -> int:
    size = abs(round(g, 2))
    months = next((m for m, bound in enumerate(MONTHS_UPPER_BOUNDS) if size <= bound), 12)
    return -months if g < 0 else months


def hedges_g(n1, gain1, sd1, n2, gain2, sd2) -> dict | None:
    """Hedges' g of programme against comparison gains, over the pooled SD of later scores,
    with its 95% interval and the EEF months' progress."""
    if n1 < 2 or n2 < 2:
        return None
    pooled = np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))
    if not pooled > 0:
        return None
    correction = 1 - 3 / (4 * (n1 + n2) - 9)
    g = correction * (gain1 - gain2) / pooled
    half = 1.96 * np.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    return {
        "hedges_g": round(float(g), 3),
        "ci_low": round(float(g - half), 3),
        "ci_high": round(float(g + half), 3),
        "months_progress": months_progress(float(g)),
        "n_programme": int(n1),
        "n_comparison": int(n2),
    }


@dataclass
class Report:
    attainment: list[dict]
    progress: list[dict]


def _figures(values: np.ndarray, places: int) -> list:
    """Figures rounded for the report, None where there is none (NaN or infinite). A whole
    array at once: this is done for every figure of every entry."""
    rounded = np.round(values, places)
    return np.where(np.isfinite(rounded), rounded, None).tolist()


class _Presenter:
    """Turns sums into report entries, withholding every figure about fewer pupils than the
    threshold, and the other side of its pair, which could be worked out from "all"."""

    def __init__(self, threshold: int):
        self.threshold = threshold

    def hidden(self, counts: dict[str, float]) -> set[str]:
        small = {g for g, n in counts.items() if 0 < n < self.threshold}
        if "all" in small:
            return set(counts)
        for one, other in PAIRS:
            if one in small and counts[other] > 0:
                small.add(other)
            if other in small and counts[one] > 0:
                small.add(one)
        return small

    @staticmethod
    def withheld(fields) -> dict:
        return {name: None for name in fields} | {"suppressed": True}

    def gaps(self, figures: dict[str, dict[str, list]], j: int, counts, hidden) -> dict:
        """Each gap's figures (name -> field -> value at each key shown) at the j-th key shown:
        withheld when either side is, empty when either side has no pupils."""
        result = {}
        for name, (ahead, behind) in GAPS.items():
            fields = figures[name]
            if {ahead, behind} & hidden:
                result[name] = self.withheld(fields)
            elif not (counts[ahead] and counts[behind]):
                result[name] = dict.fromkeys(fields)
            else:
                result[name] = {field: values[j] for field, values in fields.items()}
        return result


def _scope(membership: Membership, number: int) -> dict:
    scope_id, name = membership.scopes[number]
    return {"type": membership.scope_type, "id": scope_id, "name": name}


def _key_parts(key: int) -> tuple[int, int | None]:
    number, year = divmod(int(key), YEARS)
    return number, None if year == ALL_YEARS else year


def _each(function, items: list) -> list:
    """function(item) for every item, on two threads where there are two cores: NumPy lets go
    of the interpreter while it sorts and counts, so the cores share the work (about twice as
    fast). Not more: each item holds a few arrays the size of the results while it runs (for
    a million results, two at once take a report's peak memory from about 380 to 545 MB)."""
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return list(pool.map(function, items))


def distinct(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(ids, return_inverse=True) for ids of rows (never negative): marked in a
    table by id rather than sorted, where the largest id is below a few million, as a
    school's is (a million results name a few thousand schools)."""
    if len(ids) == 0 or ids.max() >= 1 << 22:
        return np.unique(ids, return_inverse=True)
    seen = np.zeros(ids.max() + 1, bool)
    seen[ids] = True
    return np.flatnonzero(seen), (np.cumsum(seen) - 1)[ids]


def _school_cells(window, index):
    """The schools of the rows of `index` (sorted), each row's place among them, its cell in
    a school-by-year-group table, and the table's size."""
    schools, at = distinct(window.school[index])
    return schools, at, at * YEARS + window.year_group[index], len(schools) * YEARS


def _keys(membership, window, schools, at, index):
    rows, scope = membership.rows(schools, at, index)
    keys = np.concatenate([scope * YEARS + window.year_group[rows], scope * YEARS + ALL_YEARS])
    return keys, np.concatenate([rows, rows]), len(membership.scopes) * YEARS


def attainment(window: WindowRows, memberships: list[Membership], national: dict | None,
               threshold: int) -> list[dict]:  # fmt: skip
    present = _Presenter(threshold)
    value = window.value()
    population = np.flatnonzero(window.population())
    population = population[np.argsort(value[population], kind="stable")]  # see ranks_within
    expected, higher = window.at_expected().astype(float), window.at_higher().astype(float)
    schools, at, cells, cell_count = _school_cells(window, population)
    flags = (expected[population], higher[population])
    by_school = Sums.of_rows(cells, cell_count, window.splits(population), value[population], flags)

    def measure(membership):
        keys, rows, size = _keys(membership, window, schools, at, population)
        sums = by_school.regrouped(*membership.cells(schools))
        return sums, gap_index(keys, size, value[rows], window.behind(rows))

    entries = []
    for membership, (sums, indices) in zip(memberships, _each(measure, memberships), strict=True):
        shown = np.flatnonzero(sums.n["all"] > 0)
        n = {g: sums.n[g][shown].astype(int).tolist() for g in GROUPS}
        mean = {g: _figures(sums.mean(g)[shown], 2) for g in GROUPS}
        sd = {g: _figures(sums.sd(g)[shown], 2) for g in GROUPS}
        expected_share = {g: _figures(sums.share(g, 0)[shown], 1) for g in GROUPS}
        higher_share = {g: _figures(sums.share(g, 1)[shown], 1) for g in GROUPS}
        # From the exact figures, not the rounded ones shown for each group.
        gaps = {
            name: {
                "mean_points": _figures(sums.mean(ahead)[shown] - sums.mean(behind)[shown], 2)
                if window.scored
                else [None] * len(shown),
                "pct_expected_points": _figures(
                    sums.share(ahead, 0)[shown] - sums.share(behind, 0)[shown], 1
                ),
                "gap_index": _figures(indices[name][shown], 2),
            }
            for name, (ahead, behind) in GAPS.items()
        }
        for j, key in enumerate(shown.tolist()):
            number, year = _key_parts(key)
            counts = {g: n[g][j] for g in GROUPS}
            hidden = present.hidden(counts)
            groups = {}
            for g in GROUPS:
                if g in hidden:
                    groups[g] = present.withheld(("n", "mean", "sd", "pct_expected", "pct_higher"))
                    continue
                count = counts[g]
                groups[g] = {
                    "n": count,
                    "mean": mean[g][j] if window.scored and count else None,
                    "sd": sd[g][j] if window.scored and count > 1 else None,
                    "pct_expected": expected_share[g][j] if count else None,
                    "pct_higher": higher_share[g][j] if count else None,
                }
            gap = present.gaps(gaps, j, counts, hidden)
            entry = {"scope": _scope(membership, number), "year_group": year, "window": window.slug,
                     "groups": groups, "gap": gap}  # fmt: skip
            if national:
                entry["national"] = _against_national(national, groups)
            entries.append(entry)
    return entries


def _against_national(national: dict, groups: dict) -> dict:
    """How far the school's disadvantaged (and SEND) pupils are from non-disadvantaged (and
    non-SEND) pupils nationally, in percentage points at the expected standard."""
    result = {"reference": national["name"]}
    for gap, key in (("disadvantaged", "pct_expected_non_disadvantaged"),
                     ("send", "pct_expected_non_send")):  # fmt: skip
        reference, share = national.get(key), groups[gap]["pct_expected"]
        result[key] = reference
        result[f"{gap}_points"] = (
            None if reference is None or share is None else round(reference - share, 1)
        )
    return result


def progress(earlier: WindowRows, later: WindowRows, memberships: list[Membership],
             comparison: Membership | None, threshold: int) -> list[dict]:  # fmt: skip
    """Gains of the pupils with a score at both windows, per scope and year group as they were
    at the earlier one; gap changes over the same pupils; and, where the programme has
    comparison schools (`comparison`, one of `memberships`), the effect size of its gains
    against theirs."""
    if not (earlier.scored and later.scored):
        return []
    present = _Presenter(threshold)
    first = np.flatnonzero(~np.isnan(earlier.score))
    second = np.flatnonzero(~np.isnan(later.score))
    _, at_first, at_second = np.intersect1d(
        earlier.pupil[first], later.pupil[second], assume_unique=True, return_indices=True
    )
    matched = first[at_first]
    later_row = np.full(len(earlier.pupil), -1)
    later_row[matched] = second[at_second]
    matched = matched[np.argsort(earlier.score[matched], kind="stable")]  # see ranks_within
    expected_first = earlier.at_expected().astype(float)
    expected_second = later.at_expected().astype(float)

    schools, at, cells, cell_count = _school_cells(earlier, matched)
    splits = earlier.splits(matched)
    before, after = earlier.score[matched], later.score[later_row[matched]]
    by_school = {
        "gain": Sums.of_rows(cells, cell_count, splits, after - before),
        "before": Sums.of_rows(cells, cell_count, splits, before, (expected_first[matched],)),
        "after": Sums.of_rows(cells, cell_count, splits, after, (expected_second[matched],)),
    }

    def measure(membership):
        keys, rows, size = _keys(membership, earlier, schools, at, matched)
        behind = earlier.behind(rows)
        before, after = earlier.score[rows], later.score[later_row[rows]]
        to_scopes = membership.cells(schools)
        return {name: sums.regrouped(*to_scopes) for name, sums in by_school.items()} | {
            "index_before": gap_index(keys, size, before, behind),
            "index_after": gap_index(keys, size, after, behind),
        }

    measured = _each(measure, memberships)
    arm = measured[memberships.index(comparison)] if comparison else None
    comparison_schools = set(comparison.school_ids[0]) if comparison else set()
    entries = []
    for membership, m in zip(memberships, measured, strict=True):
        shown = np.flatnonzero(m["gain"].n["all"] > 0)
        n = {g: m["gain"].n[g][shown].astype(int).tolist() for g in GROUPS}
        gain = {g: _figures(m["gain"].mean(g)[shown], 2) for g in GROUPS}
        gap_changes = {name: _gap_changes(m, shown, name, ahead, behind)
                       for name, (ahead, behind) in GAPS.items()}  # fmt: skip
        for j, key in enumerate(shown.tolist()):
            number, year = _key_parts(key)
            counts = {g: n[g][j] for g in GROUPS}
            hidden = present.hidden(counts)
            groups = {
                g: present.withheld(("n", "mean_gain")) if g in hidden else {
                    "n": counts[g], "mean_gain": gain[g][j] if counts[g] else None,
                }
                for g in GROUPS
            }  # fmt: skip
            changes = present.gaps(gap_changes, j, counts, hidden)
            scope = _scope(membership, number)
            in_programme = scope["type"] != "comparison" and not (
                scope["type"] == "school" and scope["id"] in comparison_schools
            )
            effect = None
            if arm is not None and in_programme and "all" not in hidden:
                effect = {
                    g: _effect(m, arm, key, year, g, hidden, threshold) for g in EFFECT_GROUPS
                }
            entries.append({
                "scope": scope, "year_group": year, "from": earlier.slug, "to": later.slug,
                "n_matched": None if "all" in hidden else int(counts["all"]),
                "groups": groups, "gap_change": changes, "effect_size": effect,
            })  # fmt: skip
    return entries


def _gap_changes(m, shown, name, ahead, behind) -> dict[str, list]:
    """How a gap changed from the earlier window to the later, at each key shown."""

    def change(of):
        return (of(m["after"], ahead) - of(m["after"], behind)
                - of(m["before"], ahead) + of(m["before"], behind))[shown]  # fmt: skip

    return {
        "mean_points": _figures(change(lambda sums, g: sums.mean(g)), 2),
        "pct_expected_points": _figures(change(lambda sums, g: sums.share(g, 0)), 1),
        "gap_index": _figures((m["index_after"][name] - m["index_before"][name])[shown], 2),
    }


def _effect(m, arm, key, year, group, hidden, threshold) -> dict | None:
    """Hedges' g for one group: this scope's pupils against the comparison schools' pupils in
    the same year group (or all year groups)."""
    other = ALL_YEARS if year is None else year  # the comparison membership has one scope
    n1, n2 = m["gain"].n[group][key], arm["gain"].n[group][other]
    if not (n1 and n2):
        return None
    if group in hidden or n1 < threshold or n2 < threshold:
        return {"suppressed": True}
    return hedges_g(
        n1, m["gain"].mean(group)[key], m["after"].sd(group)[key],
        n2, arm["gain"].mean(group)[other], arm["after"].sd(group)[other],
    )  # fmt: skip


def build(windows: list[WindowRows], memberships: list[Membership], national: dict,
          threshold: int) -> Report:  # fmt: skip
    """The whole report: attainment at every window, progress between every pair of windows
    (in date order), for every scope and year group."""
    comparison = next((m for m in memberships if m.scope_type == "comparison"), None)
    report = Report([], [])
    for window in windows:
        report.attainment += attainment(window, memberships, national.get(window.slug), threshold)
    for i, earlier in enumerate(windows):
        for later in windows[i + 1 :]:
            report.progress += progress(earlier, later, memberships, comparison, threshold)
    return report
