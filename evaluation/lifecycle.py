"""A report's life beyond computing it: queued when the data it rests on changes, retried
when it failed on every attempt, and computed again when the suppression threshold changes."""

import logging

from celery.signals import worker_ready
from django.db import DatabaseError, transaction
from django.dispatch import receiver

from mathsprog.queueing import enqueue_on_commit, task_named
from programmes import services as programmes_services
from programmes.models import Programme
from programmes.signals import programme_data_changed

from .models import ReportFailure, ReportSnapshot

logger = logging.getLogger(__name__)

COMPUTE_REPORT = "evaluation.tasks.compute_report"


@receiver(programme_data_changed, dispatch_uid="evaluation.programme_data_changed")
def _programme_data_changed(sender, *, programme_id: int, **kwargs) -> None:
    report_queue(programme_id=programme_id)


def report_queue(*, programme_id: int) -> None:
    """A worker computes the programme's report once the transaction that changed its data
    commits (it would not see the change before). If the task queue does not answer, the
    report is recorded as failed after no attempt: its pages say so and offer a retry, and
    the next worker to start queues it again."""
    enqueue_on_commit(
        COMPUTE_REPORT,
        programme_id,
        on_failure=lambda error: _record_failure(programme_id=programme_id, error=error),
    )


def _record_failure(*, programme_id: int, error: BaseException) -> None:
    # Imported here: reports imports the engine (NumPy and SciPy), a fifth of a second that a
    # process which only queues reports (every web process, the import command) need not
    # spend as it starts.
    from . import reports

    reports.report_failure_record(programme_id=programme_id, error=error, attempts=0)


def reports_unqueued_queue() -> list[int]:
    """Queue again the reports that could not be queued; the ids of their programmes."""
    unqueued = ReportFailure.objects.filter(attempts=0)
    programme_ids = list(unqueued.values_list("programme_id", flat=True))
    unqueued.filter(programme_id__in=programme_ids).delete()
    for programme_id in programme_ids:
        report_queue(programme_id=programme_id)
    return programme_ids


def report_recompute(*, programme: Programme) -> bool:
    """Compute the programme's report again, as a new data version (a hub lead asks, from
    the programme's page). Whether it was queued."""
    with transaction.atomic():
        programmes_services.programme_data_changed(programme_id=programme.pk)
    return not ReportFailure.objects.filter(programme=programme, attempts=0).exists()


@transaction.atomic
def report_retry(*, programme: Programme) -> None:
    """Try a failed report again: its pages say "Updating" until it is stored, or fails once
    more."""
    ReportFailure.objects.filter(programme=programme).delete()
    report_queue(programme_id=programme.pk)


def reports_out_of_date_queue() -> list[int]:
    """Queue the report of every programme whose latest report was computed with another
    suppression threshold than today's, or by an engine that gave fewer figures (or before
    either was recorded): it is out of date, and the worker computes it as a new data
    version. The ids of those programmes."""
    latest = {}
    rows = ReportSnapshot.objects.order_by("programme_id", "data_version").only(
        "programme_id", "threshold", "figures_version"
    )
    for snapshot in rows:
        latest[snapshot.programme_id] = snapshot
    queued = [pk for pk, snapshot in latest.items() if not snapshot.computed_as_today()]
    for programme_id in queued:
        task_named(COMPUTE_REPORT).delay(programme_id)
    return queued


@worker_ready.connect(dispatch_uid="evaluation.worker_ready")
def _worker_ready(sender=None, **kwargs) -> None:
    """A changed SUPPRESSION_THRESHOLD, or an engine that gives new figures, reaches the
    workers as they restart with it: each then queues the reports it has made out of date (a
    second worker's tasks find them done), and those that could not be queued while the
    broker was down."""
    try:
        queued = reports_out_of_date_queue()
        unqueued = reports_unqueued_queue()
    except DatabaseError:
        logger.exception("Reports out of date: the database does not answer")
        return
    if queued:
        logger.info("Reports out of date queued for programmes %s", queued)
    if unqueued:
        logger.info("Reports that could not be queued, queued for programmes %s", unqueued)
