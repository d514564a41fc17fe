"""Counts, sums and ranks per key (a scope's year group, or all its year groups), each for
every key at once by bincount: never a loop over schools or pupils."""

import numpy as np

from . import definitions


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
            for group, (n, *rest) in totals.items():
                self.n[group] = n
                if not rest:  # counted only
                    continue
                total, squares, *flags = rest
                self._mean[group] = total / n
                self._sd[group] = definitions.sample_sd(n, total, squares)
                self._shares[group] = [definitions.share(flag, n) for flag in flags]

    @classmethod
    def of_rows(cls, keys, size, splits, value=None, flags=()) -> "Sums":
        """The sums of each group (see WindowRows.splits) at each key (only the counts, with
        no `value`): a split's groups in one count, the part of a pupil of key k being
        counted at k * parts + part."""
        weights = (None,) if value is None else (None, value, value * value, *flags)
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


# The most cells (keys x distinct scores) counted for the gap index before it ranks rows
# instead: 4 million cells are 32 MB a table.
MOST_LEVEL_CELLS = 1 << 22


class Scale:
    """The values pupils are ranked on for the gap index (one window's scores, say), taken
    once for every scope: each value's place among the distinct values (0 the lowest), where
    there are few enough to count pupils at each. Scores are kept to a tenth, so ten times a
    score is a whole number, and the distinct ones are marked in a table rather than sorted."""

    def __init__(self, values: np.ndarray):
        self.values, self.level, self.count = values, None, 0
        known = ~np.isnan(values)
        if not known.any():
            return
        tenths = np.rint(values[known] * 10)
        lowest, highest = tenths.min(), tenths.max()
        if not np.isfinite(highest) or highest - lowest >= MOST_LEVEL_CELLS:
            return
        if not np.array_equal(tenths / 10, values[known]):  # not all tenths: rank them
            return
        offset = (tenths - lowest).astype(np.int64)
        seen = np.zeros(int(highest - lowest) + 1, bool)
        seen[offset] = True
        self.level = np.zeros(len(values), np.int32)  # unknown values are never ranked
        self.level[known] = (np.cumsum(seen, dtype=np.int32) - 1)[offset]
        self.count = int(seen.sum())

    def countable(self, size: int) -> bool:
        """Whether pupils can be counted at each value for `size` keys (ScoreCounts)."""
        return self.level is not None and size * self.count <= MOST_LEVEL_CELLS


def gap_index(keys, size, scale: Scale, rows, behind: dict[str, np.ndarray]):
    """For each gap, the gap index at every key (definitions.gap_index) of the pupils of
    `rows`, at keys `keys`, ranked on `scale`."""
    if not scale.countable(size):
        return _gap_index_by_rank(keys, size, scale.values[rows], behind)
    return ScoreCounts(keys, size, scale.level[rows], scale.count, behind).gap_index()


class ScoreCounts:
    """For each key, how many pupils have each distinct value ("all"), and how many of them
    are behind in each gap: enough for the gap index, with no sort. The counts of a scope are
    the sums of those of its cells (its schools' year groups), so they are counted once a
    window and added up for each scope, as Sums are."""

    def __init__(self, keys, size, level, count_of_levels, behind: dict[str, np.ndarray]):
        cells = keys * count_of_levels
        cells += level
        n, shape = size * count_of_levels, (size, count_of_levels)
        self.tables = {"all": np.bincount(cells, minlength=n).reshape(shape)}
        for gap, mask in behind.items():  # counted from the cells of those behind
            self.tables[gap] = np.bincount(cells[mask], minlength=n).reshape(shape)

    @classmethod
    def of_tables(cls, tables: dict[str, np.ndarray]) -> "ScoreCounts":
        counts = cls.__new__(cls)
        counts.tables = tables
        return counts

    def regrouped(self, sources: np.ndarray, keys: np.ndarray, size: int) -> "ScoreCounts":
        """Counts of key keys[i] = the sum of those of key sources[i], over all i."""
        levels = self.tables["all"].shape[1]
        filled = self.tables["all"].any(axis=1)[sources]  # most cells are year groups untaught
        sources, keys = sources[filled], keys[filled]
        spread = (keys[:, None] * levels + np.arange(levels)).ravel()
        return ScoreCounts.of_tables({
            name: np.bincount(spread, table[sources].ravel(), size * levels).reshape(size, levels)
            for name, table in self.tables.items()
        })  # fmt: skip

    def gap_index(self) -> dict[str, np.ndarray]:
        """A pupil's rank is the number of its key's pupils below its value, plus the mean
        place among those with its value. A gap's two groups make up all N pupils of a key,
        whose positions add up to N / 2: the sum over the pupils behind gives both means."""
        at_level = self.tables["all"]
        count = at_level.sum(axis=1)
        # In place: the tables have a cell per key and score (a million for 1,800 schools).
        p = np.cumsum(at_level, axis=1, dtype=float)
        p -= at_level
        p += (at_level + 1) / 2  # the rank
        result = {}
        with np.errstate(invalid="ignore", divide="ignore"):
            p = definitions.position(p, count[:, None].astype(float))
            p[count == 0] = 0  # no pupils, no positions
            for gap, behind_at in self.tables.items():
                if gap == "all":
                    continue
                n_behind = behind_at.sum(axis=1)
                p_behind = np.einsum("ij,ij->i", behind_at, p)
                mean_ahead = (count / 2 - p_behind) / (count - n_behind)
                result[gap] = definitions.gap_index(mean_ahead, p_behind / n_behind)
        return result


def _gap_index_by_rank(keys, size, values, behind) -> dict[str, np.ndarray]:
    """As ScoreCounts.gap_index, ranking the rows, for values too many or too finely spread
    to count pupils at each. A gap's two groups make up all N pupils of a key, whose
    positions add up to N / 2: the sum over the pupils behind gives both means."""
    ranks = ranks_within(keys, values)
    count = np.bincount(keys, minlength=size).astype(float)
    result = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        p = definitions.position(ranks, count[keys])
        for gap, mask in behind.items():
            n_behind = np.bincount(keys, mask, size)
            p_behind = np.bincount(keys, p * mask, size)
            mean_ahead = (count / 2 - p_behind) / (count - n_behind)
            result[gap] = definitions.gap_index(mean_ahead, p_behind / n_behind)
    return result
