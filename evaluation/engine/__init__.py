"""The evaluation report's statistics, computed set-based with NumPy: every figure for every
scope, year group and window comes from a few passes of bincount over the results, never a
query or a loop per school. The definitions are in definitions.py, worded as on the "How
figures are calculated" page (templates/evaluation/method.html); tests check the whole
report against an independent reference written from that page (tests/reference/)."""

from dataclasses import dataclass

from .attainment import attainment
from .definitions import (  # noqa: F401 (the engine's vocabulary, used by its callers)
    EFFECT_GROUPS,
    FIGURES_VERSION,
    GAPS,
    GROUPS,
    PAIRS,
    hedges_g,
    months_progress,
)
from .progress import progress
from .rows import Matched, WindowRows  # noqa: F401
from .scopes import ALL_YEARS, YEARS, Membership, distinct  # noqa: F401
from .sums import Scale, Sums, gap_index, ranks_within  # noqa: F401


@dataclass
class Report:
    attainment: list[dict]
    progress: list[dict]


def build(windows: list[WindowRows], memberships: list[Membership], national: dict,
          threshold: int) -> Report:  # fmt: skip
    """The whole report: attainment at every window, progress between every pair of windows
    (in date order), for every scope and year group."""
    comparison = next((m for m in memberships if m.scope_type == "comparison"), None)
    comparison_schools = frozenset(comparison.school_ids[0]) if comparison else frozenset()
    report = Report([], [])
    for window in windows:
        year = [w for w in windows if w is window or _same_year(w, window)]
        report.attainment += attainment(
            window, memberships, national=national.get(window.slug), threshold=threshold,
            year=year, comparison_schools=comparison_schools,
        )  # fmt: skip
    for i, earlier in enumerate(windows):
        for later in windows[i + 1 :]:
            report.progress += progress(
                earlier, later, memberships, comparison=comparison, threshold=threshold,
                comparison_schools=comparison_schools,
            )  # fmt: skip
    return report


def _same_year(one: WindowRows, other: WindowRows) -> bool:
    return one.academic_year is not None and one.academic_year == other.academic_year
