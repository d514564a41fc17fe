"""Turning sums into report entries: figures rounded a whole array at a time, and every
figure about fewer pupils than the threshold withheld (definitions.withheld)."""

import numpy as np

from .definitions import GAPS, GROUPS, withheld


def figures(values: np.ndarray, places: int) -> list:
    """Figures rounded for the report, None where there is none (NaN or infinite). A whole
    array at once: this is done for every figure of every entry."""
    rounded = np.round(values, places)
    return np.where(np.isfinite(rounded), rounded, None).tolist()


def intervals_at(low: np.ndarray, high: np.ndarray, places: int) -> list:
    """Intervals [low, high] rounded for the report, None where either end is missing."""
    pairs = np.round(np.stack([low, high], axis=1), places)
    result = pairs.tolist()
    for missing in np.flatnonzero(~np.isfinite(pairs).all(axis=1)).tolist():
        result[missing] = None
    return result


def counts_at(n: dict[str, np.ndarray], shown: np.ndarray) -> dict[str, list[int]]:
    """Each group's count at each key shown."""
    return {g: n[g][shown].astype(int).tolist() for g in GROUPS}


class Presenter:
    def __init__(self, threshold: int):
        self.threshold = threshold

    def hidden(self, counts: dict[str, int]) -> set[str]:
        return withheld(counts, self.threshold)

    @staticmethod
    def withheld(fields) -> dict:
        return {name: None for name in fields} | {"suppressed": True}

    def gaps(self, values: dict[str, dict[str, list]], j: int, counts, hidden) -> dict:
        """Each gap's figures (name -> field -> value at each key shown) at the j-th key shown:
        withheld when either side is, empty when either side has no pupils."""
        result = {}
        for name, (ahead, behind) in GAPS.items():
            fields = values[name]
            if {ahead, behind} & hidden:
                result[name] = self.withheld(fields)
            elif not (counts[ahead] and counts[behind]):
                result[name] = dict.fromkeys(fields)
            else:
                result[name] = {field: column[j] for field, column in fields.items()}
        return result

    def coverage(self, pupils: int, assessed: int, hidden) -> dict:
        """How many of the scope's pupils of the academic year this window assessed."""
        if "all" in hidden:
            return self.withheld(("pupils", "assessed"))
        return {"pupils": pupils, "assessed": assessed}

    def attrition(self, assessed: dict[str, int], matched: dict[str, int], hidden) -> dict:
        """Per group, how many of the pupils assessed at the earlier window were not at the
        later: withheld where the group's figures are, or where the counts of pupils
        assessed earlier would be under the same rule (its lost pupils would give away the
        matched ones, and the other way round)."""
        hidden = hidden | self.hidden(assessed)
        return {
            g: self.withheld(("lost", "of"))
            if g in hidden
            else {"lost": assessed[g] - matched[g], "of": assessed[g]}
            for g in GROUPS
        }
