"""Targets for a programme's end window, and whether each is on track at the windows before it;
KPIs filled in from the report.

On track: at each window after the baseline (see baseline_of) up to the end window, the
figure is on or beyond the straight line drawn, by date, from the baseline figure to the
target. For a share at the expected standard "beyond" is above; for the disadvantaged
gap it is below (a smaller gap). The distance behind the line is rounded to one decimal place,
as the report's figures are, so a figure exactly on it is on track:
- "On track": on or beyond the line;
- "Slightly behind": behind it by up to SLIGHTLY_BEHIND points;
- "Off track": further behind.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from accounts.audit import audit
from accounts.models import AuditAction
from mathsprog.services import fields_write
from programmes.models import Kpi, Programme, ReportFigure
from programmes.part_services import kpi_update
from schools.models import School

from .models import AssessmentWindow, EntryKind, ReportEntry, ReportSnapshot, Target, WindowKind

# Percentage points behind the line that are still "slightly" behind.
SLIGHTLY_BEHIND = 3.0
ON_TRACK, SLIGHTLY, OFF_TRACK = "On track", "Slightly behind", "Off track"
RAG_COLOURS = {ON_TRACK: "success", SLIGHTLY: "warning", OFF_TRACK: "danger"}
# Where each figure is in a report's attainment entry.
FIGURE_PATHS = {
    ReportFigure.EXPECTED_ALL: ("groups", "all", "pct_expected"),
    ReportFigure.EXPECTED_DISADVANTAGED: ("groups", "disadvantaged", "pct_expected"),
    ReportFigure.DISADVANTAGED_GAP: ("gap", "disadvantaged", "pct_expected_points"),
}
SMALLER_IS_BETTER = {ReportFigure.DISADVANTAGED_GAP}


def line_at(*, baseline: float, target: float, start: date, end: date, on: date) -> float:
    """The straight line's value on a date, from the baseline figure at `start` to the target
    at `end`."""
    return baseline + (target - baseline) * (on - start).days / (end - start).days


def behind_line(measure: str, *, figure: float, line: float) -> float:
    """Points behind the line (0 when on or beyond it), to one decimal place."""
    shortfall = figure - line if measure in SMALLER_IS_BETTER else line - figure
    return max(round(shortfall, 1), 0.0)


def to_go(measure: str, *, figure: float, target: float) -> float:
    """Points still needed to reach the target (0 once reached)."""
    needed = figure - target if measure in SMALLER_IS_BETTER else target - figure
    return max(round(needed, 1), 0.0)


def status_of(behind: float) -> str:
    if behind == 0:
        return ON_TRACK
    return SLIGHTLY if behind <= SLIGHTLY_BEHIND else OFF_TRACK


def figure_of(figures: dict, measure: str) -> float | None:
    """A figure of an attainment entry; None where it is withheld or has no pupils."""
    value = figures
    for key in FIGURE_PATHS[measure]:
        value = (value or {}).get(key)
    return value


@dataclass(frozen=True)
class Check:
    """A target at one window: the figure, the line's value, and how far behind it is."""

    window: AssessmentWindow
    figure: float | None
    line: float | None = None
    behind: float | None = None
    to_target: float | None = None
    status: str = "No figure"

    @property
    def colour(self) -> str:
        """The Bootstrap colour of its status, shown beside the words, never instead."""
        return RAG_COLOURS.get(self.status, "secondary")


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    baseline: AssessmentWindow
    baseline_figure: float | None
    checks: list[Check]
    history: list[Target] = field(default_factory=list)


def _check(target: Target, baseline: AssessmentWindow, start: float | None, window, figure):
    if figure is None or start is None:
        return Check(window, figure)
    goal, measure = float(target.value), target.measure
    line = line_at(baseline=start, target=goal, start=baseline.date, end=target.window.date,
                   on=window.date)  # fmt: skip
    behind = behind_line(measure, figure=figure, line=line)
    return Check(window, figure, round(line, 1), behind,
                 to_go(measure, figure=figure, target=goal), status_of(behind))  # fmt: skip


def _figures(programme: Programme, school: School | None, snapshot=None) -> dict[str, dict]:
    """The attainment entries of every year group together, by window, of a report (by
    default the programme's latest), for the programme or one school: one query."""
    if snapshot is None:
        latest = ReportSnapshot.objects.filter(programme=programme).order_by("-data_version")
        snapshot = Subquery(latest.values("pk")[:1])
    entries = ReportEntry.objects.filter(
        snapshot=snapshot,
        kind=EntryKind.ATTAINMENT,
        scope_type="school" if school else "programme",
        scope_id=school.pk if school else programme.pk,
        year_group__isnull=True,
    )
    return dict(entries.values_list("window", "figures"))


def targets_on_track(*, programme: Programme, school: School | None = None):
    """Each current target of the programme (or of one school in it), with its history and
    its check at each window after the baseline up to its end window. Three queries."""
    windows = list(programme.assessment_windows.order_by("date", "pk"))
    rows = list(
        Target.objects.filter(window__programme=programme, school=school).select_related("window")
    )
    return _on_track(windows, rows, _figures(programme, school)) if windows and rows else []


def school_targets_on_track(*, school: School, programmes) -> list[tuple[Programme, list]]:
    """For each of `programmes` the school is enrolled in, each target checked against the
    school's own figures: the school's own target where it has set one for the measure, else
    the programme's (a target's `school_id` says whose). Three queries, whatever the number
    of programmes."""
    windows = (
        AssessmentWindow.objects.filter(
            programme__in=programmes, programme__enrolments__school=school
        )
        .select_related("programme")
        .distinct()
    )
    rows = Target.objects.filter(
        Q(school=school) | Q(school__isnull=True), window__programme__in=programmes
    ).select_related("window")
    latest = ReportSnapshot.objects.filter(programme=OuterRef("snapshot__programme"))
    entries = ReportEntry.objects.filter(
        snapshot__programme__in=programmes,
        snapshot=Subquery(latest.order_by("-data_version").values("pk")[:1]),
        kind=EntryKind.ATTAINMENT,
        scope_type="school",
        scope_id=school.pk,
        year_group__isnull=True,
    ).values_list("snapshot__programme_id", "window", "figures")
    # Per programme: the programme, its windows, its targets and the school's figures.
    found: dict[int, tuple[Programme, list, list, dict]] = {}
    for window in windows.order_by("programme__name", "programme_id", "date", "pk"):
        found.setdefault(window.programme_id, (window.programme, [], [], {}))[1].append(window)
    for row in rows:
        if row.window.programme_id in found:
            found[row.window.programme_id][2].append(row)
    for programme_id, slug, figures in entries:
        if programme_id in found:
            found[programme_id][3][slug] = figures
    return [(programme, _on_track(windows, rows, figures))
            for programme, windows, rows, figures in found.values() if rows]  # fmt: skip


def _on_track(windows: list, rows: list[Target], figures: dict) -> list[TargetProgress]:
    """`rows`: the targets, newest first; a school's own ones stand before the programme's."""
    result = []
    for measure in ReportFigure.values:
        history = [row for row in rows if row.measure == measure]
        history = [row for row in history if row.school_id is not None] or history
        if not history:
            continue
        target = history[0]
        baseline = baseline_of(windows, target.window)
        start = figure_of(figures.get(baseline.slug), measure)
        checks = [
            _check(target, baseline, start, w, figure_of(figures.get(w.slug), measure))
            for w in windows
            if baseline.date < w.date <= target.window.date
            and w.teacher_assessment == target.window.teacher_assessment
        ]
        result.append(TargetProgress(target, baseline, start, checks, history))
    return result


def baseline_of(windows: list, end: AssessmentWindow) -> AssessmentWindow:
    """Where a target's line starts: the latest baseline window before its end window (a
    programme that runs several years with new cohorts has a baseline each year), or else
    the programme's first window. Only windows assessed as the end window is (scores, or
    teacher assessments) are checked against the line: the two are not the same measure."""
    baselines = [w for w in windows if w.kind == WindowKind.BASELINE and w.date < end.date]
    return baselines[-1] if baselines else windows[0]


def end_window(programme: Programme) -> AssessmentWindow | None:
    return programme.assessment_windows.filter(kind=WindowKind.END).order_by("-date").first()


@transaction.atomic
def target_set(*, window: AssessmentWindow, measure: str, value: Decimal, set_by,
               school: School | None = None) -> Target:  # fmt: skip
    """Set a target at an end window: a new row, so that the earlier ones stay as history."""
    target = Target(window=window, school=school, measure=measure, value=value, set_by=set_by,
                    set_by_name=set_by.email)  # fmt: skip
    if window.kind != WindowKind.END:
        raise ValidationError("Targets are set at a programme's end window.")
    if school is not None and not window.programme.enrolments.filter(school=school).exists():
        raise ValidationError("Targets are set for the programme's own schools.")
    target.full_clean()
    target.save()
    audit(set_by, AuditAction.TARGET_SET, f"{target} ({school or window.programme})",
          programme=window.programme, school=school, measure=measure, value=str(value))  # fmt: skip
    return target


def _latest_figures(snapshot: ReportSnapshot) -> dict[str, tuple[float, date]]:
    """Each figure of the programme at the latest window that has it, with that window's date."""
    programme = snapshot.programme
    dates = dict(programme.assessment_windows.values_list("slug", "date"))
    entries = _figures(programme, None, snapshot)
    latest = {}
    for slug in sorted(entries.keys() & dates.keys(), key=dates.get):
        for measure in ReportFigure.values:
            value = figure_of(entries[slug], measure)
            if value is not None:
                latest[measure] = (value, dates[slug])
    return latest


def _fill(kpis: list[Kpi], latest: dict) -> None:
    for kpi in kpis:
        value, on = latest.get(kpi.report_figure, (None, None))
        achieved = None if value is None else Decimal(str(value))
        if (kpi.achieved, kpi.achieved_on) != (achieved, on):
            kpi_update(kpi=kpi, achieved=achieved, achieved_on=on)


def kpis_fill_from_report(*, snapshot: ReportSnapshot) -> None:
    """Each KPI of the programme on a figure of the report takes it from this report (for
    evaluation.reports to call once a report is stored)."""
    kpis = list(Kpi.objects.filter(programme_id=snapshot.programme_id).exclude(report_figure=""))
    if kpis:
        _fill(kpis, _latest_figures(snapshot))


@transaction.atomic
def kpi_report_link(*, kpi: Kpi, report_figure: str) -> Kpi:
    """Fill a KPI in from a figure of the report from now on (or, given "", by hand again),
    starting with the latest report stored."""
    fields_write(kpi, fields={"report_figure": report_figure}, allowed=("report_figure",))
    snapshot = kpi.programme.reports.order_by("-data_version").first()
    if report_figure and snapshot is not None:
        _fill([kpi], _latest_figures(snapshot))
    return kpi
