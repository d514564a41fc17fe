"""The report's 95% intervals and clustering figures (as worded on the "How figures are
calculated" page), each for every key at once from the Sums: NaN where there is none, so
that present.figures shows it as null."""

import numpy as np
from scipy.special import stdtrit

from .definitions import Z
from .scopes import ALL_YEARS, YEARS


def wilson(share, n):
    """The Wilson score interval (low, high) of a percentage `share` of n pupils, in percent."""
    with np.errstate(invalid="ignore", divide="ignore"):
        p = share / 100
        spread = 1 + Z * Z / n
        centre = (p + Z * Z / (2 * n)) / spread
        half = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / spread
        return 100 * (centre - half), 100 * (centre + half)


def newcombe(ahead, behind):
    """Newcombe's hybrid score interval of the difference of two percentages, each given as
    (share, (low, high)) with its Wilson interval; in percentage points."""
    (p1, (l1, u1)), (p2, (l2, u2)) = ahead, behind
    d = p1 - p2
    return d - np.hypot(p1 - l1, u2 - p2), d + np.hypot(u1 - p1, p2 - l2)


def welch(ahead, behind):
    """Welch's t interval of the difference of two means, each group given as (n, mean,
    sample SD); NaN where a group has fewer than 2 pupils or the standard error is 0."""
    (n1, m1, s1), (n2, m2, s2) = ahead, behind
    with np.errstate(invalid="ignore", divide="ignore"):
        v1, v2 = s1 * s1 / n1, s2 * s2 / n2
        se = np.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
        usable = (n1 >= 2) & (n2 >= 2) & (se > 0)
        half = np.where(usable, stdtrit(np.where(usable, df, 1), 0.975) * se, np.nan)
        d = m1 - m2
        return d - half, d + half


def icc(pupils, total, squares, cluster_squares, cluster_sizes_squared, clusters):
    """The one-way ANOVA intra-class correlation, schools as clusters, from the pupils' count
    N, sum and sum of squares and, over the schools j, the sums of total_j^2 / n_j and of
    n_j^2 and the count J; a negative value counts as 0. NaN where J < 2, N - J < 1 or the
    denominator is 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        between = (cluster_squares - total * total / pupils) / (clusters - 1)
        within = (squares - cluster_squares) / (pupils - clusters)
        n0 = (pupils - cluster_sizes_squared / pupils) / (clusters - 1)
        denominator = between + (n0 - 1) * within
        value = np.maximum((between - within) / denominator, 0)
        usable = (clusters >= 2) & (pupils - clusters >= 1) & (denominator != 0)
        return np.where(usable, value, np.nan)


def cluster_sums(totals, schools: int):
    """Per cluster, from a group's totals of a school-by-year-group table (rows n, sum, ...,
    `schools` x YEARS cells): total^2 / n, n^2 and whether it has pupils, to be added up per
    key. A year group's clusters are its cells; all year groups' are the schools, each
    summed into its slot ALL_YEARS, which no pupil's year group fills."""
    n, total = (row.reshape(schools, YEARS).copy() for row in totals[:2])
    n[:, ALL_YEARS], total[:, ALL_YEARS] = n.sum(axis=1), total.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        squares = np.where(n > 0, total * total / n, 0)
    return np.stack([squares, n * n, (n > 0).astype(float)]).reshape(3, -1)
