from dataclasses import dataclass

from programmes.models import Programme

from .models import EntryKind, ReportSnapshot


@dataclass(frozen=True)
class ReportStatus:
    snapshot: ReportSnapshot | None
    data_version: int

    @property
    def stale(self) -> bool:
        """Newer data is in and its report is still computing."""
        return self.snapshot is None or self.snapshot.data_version < self.data_version


def report_status(*, programme: Programme) -> ReportStatus:
    snapshot = programme.reports.order_by("-data_version").first()
    return ReportStatus(snapshot, programme.data_version)


def report_document(snapshot: ReportSnapshot) -> dict:
    """The whole report as `evaluation_report` prints it (see the README)."""
    entries = snapshot.entries.order_by("pk").values_list("kind", "figures")
    document = {
        "programme": snapshot.programme.slug,
        "data_version": snapshot.data_version,
        "computed_at": snapshot.computed_at.isoformat(),
        "attainment": [],
        "progress": [],
    }
    for kind, figures in entries.iterator(chunk_size=5000):
        document["attainment" if kind == EntryKind.ATTAINMENT else "progress"].append(figures)
    return document


def programme_headlines(*, snapshot: ReportSnapshot | None, programme: Programme) -> dict:
    """The programme-wide figures (all year groups) of the latest report, for its dashboard:
    attainment at each window and progress between each pair."""
    if snapshot is None:
        return {"attainment": [], "progress": []}
    entries = snapshot.entries.filter(
        scope_type__in=["programme", "comparison"], scope_id=programme.pk, year_group=None
    ).order_by("pk")
    headlines = {"attainment": [], "progress": []}
    for entry in entries:
        headlines[entry.kind].append(entry.figures)
    return headlines


WITHHELD = "withheld (fewer than the threshold)"


def attainment_rows(snapshot: ReportSnapshot, *, hidden_school_ids=frozenset()):
    """Flat rows of every attainment figure, for export, leaving out the schools whose own
    figures the reader may not see (comparison schools, outside site admins)."""
    entries = (
        snapshot.entries.filter(kind=EntryKind.ATTAINMENT)
        .exclude(scope_type="school", scope_id__in=hidden_school_ids)
        .order_by("pk")
    )
    for figures in entries.values_list("figures", flat=True).iterator(chunk_size=2000):
        scope, year = figures["scope"], figures["year_group"]
        for group, values in figures["groups"].items():
            if values.get("suppressed"):
                cells = [WITHHELD] * 5
            else:
                cells = [values[k] for k in ("n", "mean", "sd", "pct_expected", "pct_higher")]
            yield [
                scope["type"],
                scope["name"],
                "all" if year is None else year,
                figures["window"],
                group,
                *cells,
            ]
