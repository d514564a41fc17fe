import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from redis import RedisError

from programmes.models import Programme
from schools.models import School

from .models import AssessmentUpload, EntryKind, ReportFailure, ReportSnapshot

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportStatus:
    """Where a programme's report stands: the latest stored one, the data version it should
    be of, and the failure if every attempt at that version failed."""

    snapshot: ReportSnapshot | None
    data_version: int
    failure: ReportFailure | None = None

    @property
    def current(self) -> bool:
        """The stored report is of today's data, suppression threshold and engine (or there
        is no data at all)."""
        if self.snapshot is None:
            return self.data_version == 0
        return self.snapshot.data_version >= self.data_version and self.snapshot.computed_as_today()

    @property
    def failed(self) -> bool:
        """Every attempt at the report of today's data failed: nothing brings it up to date
        until someone retries."""
        return (
            not self.current
            and self.failure is not None
            and self.failure.data_version >= self.data_version
        )

    @property
    def stale(self) -> bool:
        """Newer data is in (or the threshold changed) and its report is still computing."""
        return not self.current and not self.failed

    @property
    def threshold(self) -> int | None:
        """The suppression threshold of the figures shown: their report's, not today's."""
        return self.snapshot.threshold if self.snapshot else None


def report_status(*, programme: Programme) -> ReportStatus:
    snapshot = programme.reports.order_by("-data_version").first()
    status = ReportStatus(snapshot, programme.data_version)
    if status.current:
        return status
    failure = ReportFailure.objects.filter(programme=programme).first()
    return ReportStatus(snapshot, programme.data_version, failure)


def report_failures() -> QuerySet[ReportFailure]:
    """Every programme whose report could not be brought up to date, latest first."""
    return ReportFailure.objects.select_related("programme").order_by("-failed_at")


def is_comparison_school(scope: dict) -> bool:
    """Whether a report's entry holds a comparison school's own figures, as the report says
    (when it was computed): never today's list, which may have changed since."""
    return scope["type"] == "school" and scope.get("comparison", False)


# A stored report never changes: a newer one is stored under a new id. What pages derive from
# a report alone is therefore cached under its id, and needs no invalidation; the hour only
# lets superseded reports' figures go.
REPORT_CACHE_SECONDS = 60 * 60


def of_report(snapshot: ReportSnapshot, name: str, compute, *key):
    """compute(), the figures `name` of a stored report, from the cache where they are. `key`
    names whatever else they depend on. The key also holds the time the report was stored,
    which a database restored from a backup could not repeat with another report's id."""
    parts = [snapshot.pk, snapshot.computed_at.timestamp(), name, *key]
    try:
        return cache.get_or_set(
            "report:" + ":".join(map(str, parts)), compute, REPORT_CACHE_SECONDS
        )
    except RedisError:
        logger.warning("The cache does not answer: report figures read from the database")
        return compute()


def report_document(snapshot: ReportSnapshot) -> dict:
    """The whole report as `evaluation_report` prints it (see the README)."""
    entries = snapshot.entries.order_by("pk").values_list("kind", "figures")
    document = {
        "programme": snapshot.programme.slug,
        "data_version": snapshot.data_version,
        "computed_at": snapshot.computed_at.isoformat(),
        "threshold": snapshot.threshold,
        "attainment": [],
        "progress": [],
    }
    for kind, figures in entries.iterator(chunk_size=5000):
        document["attainment" if kind == EntryKind.ATTAINMENT else "progress"].append(figures)
    return document


def too_few(threshold: int | None) -> str:
    """Of how few pupils a report's figures are withheld, in words (the method page promises
    them): pages, PDFs and downloads all say it so. A report stored before reports kept
    their threshold has none."""
    return f"fewer than {threshold} pupils" if threshold else "too few pupils"


def withheld(threshold: int | None) -> str:
    """What stands in a table's cell in place of a withheld figure."""
    return too_few(threshold).capitalize()


def threshold_note(snapshot: ReportSnapshot) -> str:
    """What a download of a report's figures says of those it withholds."""
    at = timezone.localtime(snapshot.computed_at)
    computed = f"computed {at:%Y-%m-%d %H:%M} from data version {snapshot.data_version}"
    if snapshot.threshold is None:
        return f"Figures about too few pupils are withheld (report {computed})."
    return (
        f"Figures about {too_few(snapshot.threshold)} are withheld, with the other "
        f"side of their pair (the threshold of this report, {computed})."
    )


def attainment_rows(snapshot: ReportSnapshot, *, comparison_shown: Callable[[int], bool]):
    """Flat rows of every attainment figure, for export, leaving out the comparison schools
    whose own figures the reader may not see (`comparison_shown(school id)` says)."""
    entries = snapshot.entries.filter(kind=EntryKind.ATTAINMENT).order_by("pk")
    for figures in entries.values_list("figures", flat=True).iterator(chunk_size=2000):
        scope, year = figures["scope"], figures["year_group"]
        if is_comparison_school(scope) and not comparison_shown(scope["id"]):
            continue
        for group, values in figures["groups"].items():
            if values.get("suppressed"):
                cells = [withheld(snapshot.threshold)] * 5
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


def schools_for_upload(upload: AssessmentUpload) -> dict[int, int]:
    """URN -> id of the schools whose results this upload may hold: those enrolled in the
    window's programme, and its comparison schools."""
    programme = upload.window.programme
    enrolled = School.objects.filter(enrolments__programme=programme)
    comparing = School.objects.filter(comparisons__programme=programme)
    return dict((enrolled | comparing).values_list("urn", "id"))
