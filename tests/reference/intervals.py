"""The 95% intervals and clustering figures of issue 18, plainly from their formulas: Wilson's
score interval, Newcombe's hybrid score interval (method 10), Welch's t interval and the
one-way ANOVA intra-class correlation. Square roots and the t quantile need floats; the rest
stays exact (Fraction) as long as it can."""

import math
from fractions import Fraction
from statistics import mean, variance

from scipy.stats import t

from .rounding import rounded

Z = Fraction("1.959964")


def wilson(count: int, n: int) -> tuple[float, float]:
    """Wilson's score interval of count out of n, as shares (0 to 1)."""
    p = Fraction(count, n)
    z2 = Z * Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = float(Z / (1 + z2 / n)) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return float(centre) - half, float(centre) + half


def newcombe(ahead: tuple[int, int], behind: tuple[int, int]) -> tuple[float, float]:
    """Newcombe's interval for p_ahead - p_behind, each given as (count, n), as shares."""
    p1, p2 = (float(Fraction(*side)) for side in (ahead, behind))
    (l1, u1), (l2, u2) = wilson(*ahead), wilson(*behind)
    d = p1 - p2
    return d - math.hypot(p1 - l1, u2 - p2), d + math.hypot(u1 - p1, p2 - l2)


def welch(ahead: list, behind: list) -> tuple[float, float] | None:
    """Welch's t interval for mean(ahead) - mean(behind); None with fewer than two on a side
    or no spread on either (se 0)."""
    if len(ahead) < 2 or len(behind) < 2:
        return None
    parts = [variance(side) / len(side) for side in (ahead, behind)]
    if sum(parts) == 0:
        return None
    df = sum(parts) ** 2 / sum(v * v / (len(side) - 1)
                               for v, side in zip(parts, (ahead, behind), strict=True))  # fmt: skip
    se = math.sqrt(sum(parts))
    d = float(mean(ahead) - mean(behind))
    half = float(t.ppf(0.975, float(df))) * se
    return d - half, d + half


def interval(bounds, places: int, scale: int = 1) -> list | None:
    if bounds is None:
        return None
    return [rounded(scale * bound, places) for bound in bounds]


def icc(by_school: dict[int, list]) -> Fraction | None:
    """One-way ANOVA ICC of the scores, schools as clusters; negative values become 0."""
    sizes = [len(scores) for scores in by_school.values()]
    j, n = len(sizes), sum(sizes)
    if j < 2 or n - j < 1:
        return None
    grand = mean(s for scores in by_school.values() for s in scores)
    msb = sum(len(s) * (mean(s) - grand) ** 2 for s in by_school.values()) / (j - 1)
    msw = sum((y - mean(s)) ** 2 for s in by_school.values() for y in s) / (n - j)
    n0 = (n - Fraction(sum(k * k for k in sizes), n)) / (j - 1)
    denominator = msb + (n0 - 1) * msw
    if denominator == 0:
        return None
    return max(Fraction(0), (msb - msw) / denominator)


def clustering(g: float, se: float, by_school: dict[int, list], programme_schools) -> dict:
    """ICC, design effect, Hedges' g's interval widened by it, and the MDES of the design."""
    value = icc(by_school)
    keys = ("icc", "design_effect", "ci_low_adjusted", "ci_high_adjusted", "mdes")
    if value is None:
        return dict.fromkeys(keys)
    j = len(by_school)
    m = Fraction(sum(len(s) for s in by_school.values()), j)
    design_effect = 1 + (m - 1) * value
    half = float(Z) * se * math.sqrt(design_effect)
    share = Fraction(sum(1 for school in by_school if school in programme_schools), j)
    spread = share * (1 - share) * j
    mdes = 2.8 * math.sqrt(value / spread + (1 - value) / (spread * m))
    figures = (value, design_effect, g - half, g + half, mdes)
    return {key: rounded(v, 3) for key, v in zip(keys, figures, strict=True)}
