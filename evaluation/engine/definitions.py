"""The definitions behind every figure of the report, each as it is worded on the "How
figures are calculated" page (templates/evaluation/method.html), in short functions of plain
numbers. The engine applies them to whole NumPy arrays at once (arithmetic reads the same on
both), so what a statistician checks here is what every entry is computed with."""

import math

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
# What the engine computes, raised whenever a stored report lacks figures it now gives (2: the
# intervals and clustering figures; 3: progress entries with a window of teacher assessments,
# and every progress entry's bands): stored reports of an older version are recomputed.
FIGURES_VERSION = 3
# The normal quantile of every 95% interval, to the digits the method page states.
Z = 1.959964
# 80% power at 5% two-sided significance: z_0.975 + z_0.8, as the EEF's guidance rounds it.
MDES_MULTIPLIER = 2.8


def sample_sd(n, total, squares):
    """The sample standard deviation (dividing by n - 1) from n, the sum and the sum of
    squares; a variance a hair below 0 from rounding counts as 0."""
    variance = (squares - total * total / n) / (n - 1)
    return np.sqrt(np.maximum(variance, 0))


def share(count, n):
    """Percentage of n."""
    return 100 * count / n


def position(rank, n):
    """The gap index's position p of a pupil of rank `rank` (1 = lowest; ties share the mean
    of their ranks) among n pupils: from 0 to 1."""
    return (rank - 0.5) / n


def gap_index(mean_position_ahead, mean_position_behind):
    """The DfE disadvantage gap index: 20 x the difference of the groups' mean positions."""
    return 20 * (mean_position_ahead - mean_position_behind)


def pooled_sd(n1, sd1, n2, sd2):
    return math.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))


def small_sample_correction(n1, n2):
    return 1 - 3 / (4 * (n1 + n2) - 9)


def standard_error(g, n1, n2):
    """The standard error of Hedges' g, behind its 95% interval."""
    return math.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))


def design_effect(icc, pupils_per_school):
    return 1 + (pupils_per_school - 1) * icc


def clustered(g, se, icc, pupils, schools, share_programme) -> dict:
    """Hedges' g's figures that allow for pupils of one school being alike: the ICC, the
    design effect, the interval widened by it and the minimum detectable effect size of
    `schools` schools of `pupils` pupils in all; None throughout where there is no ICC."""
    if icc is None or not math.isfinite(icc):
        return dict.fromkeys(("icc", "design_effect", "ci_low_adjusted", "ci_high_adjusted",
                              "mdes"))  # fmt: skip
    effect = design_effect(icc, pupils / schools)
    half = Z * se * math.sqrt(effect)
    smallest = mdes(icc, share_programme, schools, pupils / schools)
    return {
        "icc": round(icc, 3),
        "design_effect": round(effect, 3),
        "ci_low_adjusted": round(g - half, 3),
        "ci_high_adjusted": round(g + half, 3),
        "mdes": None if smallest is None else round(smallest, 3),
    }


def mdes(icc: float, share_programme: float, schools: int, pupils_per_school: float):
    """The minimum detectable effect size of a comparison of `schools` schools (a share
    `share_programme` of them in the programme) of `pupils_per_school` pupils each, whose
    scores have intra-class correlation `icc`; None where no such comparison can be made."""
    if schools < 2 or not 0 < share_programme < 1 or pupils_per_school <= 0:
        return None
    spread = share_programme * (1 - share_programme) * schools
    return MDES_MULTIPLIER * math.sqrt(icc / spread + (1 - icc) / (spread * pupils_per_school))


def months_progress(g: float) -> int:
    size = abs(round(g, 2))
    months = next((m for m, bound in enumerate(MONTHS_UPPER_BOUNDS) if size <= bound), 12)
    return -months if g < 0 else months


def hedges_g(n1, gain1, sd1, n2, gain2, sd2, clusters=None) -> dict | None:
    """Hedges' g of the programme's mean gain (n1 pupils) against the comparison schools'
    (n2), over the pooled SD of the two groups' LATER scores (sd1, sd2), with its 95%
    interval and the EEF months' progress; None where it cannot be worked out. `clusters`:
    (icc, pupils, schools, share of the schools in the programme) of both arms together,
    for the figures of `clustered`."""
    if n1 < 2 or n2 < 2:
        return None
    pooled = pooled_sd(n1, sd1, n2, sd2)
    if not pooled > 0:
        return None
    g = small_sample_correction(n1, n2) * (gain1 - gain2) / pooled
    se = standard_error(g, n1, n2)
    return {
        "hedges_g": round(g, 3),
        "ci_low": round(g - Z * se, 3),
        "ci_high": round(g + Z * se, 3),
        "months_progress": months_progress(g),
        "n_programme": int(n1),
        "n_comparison": int(n2),
    } | ({} if clusters is None else clustered(g, se, *clusters))


def withheld(counts: dict[str, int], threshold: int) -> set[str]:
    """The suppression rule: which groups' figures are withheld, given each group's pupils.
    A group of fewer than `threshold` pupils (but some) is withheld; if that is everyone,
    every group is; and the other side of a withheld group's pair is too, when it has pupils,
    since it could be worked back from "all"."""
    small = {g for g, n in counts.items() if 0 < n < threshold}
    if "all" in small:
        return set(counts)
    for one, other in PAIRS:
        if one in small and counts[other] > 0:
            small.add(other)
        if other in small and counts[one] > 0:
            small.add(one)
    return small
