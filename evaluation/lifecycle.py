"""A report's life beyond computing it: queued when the data it rests on changes, retried
when it failed on every attempt, and computed again when the suppression threshold changes."""

import logging

from celery.signals import worker_ready
from django.conf import settings
from django.db import DatabaseError, transaction
from django.dispatch import receiver

from programmes.models import Programme
from programmes.signals import programme_data_changed

from .models import ReportFailure, ReportSnapshot
from .tasks import compute_report

logger = logging.getLogger(__name__)


@receiver(programme_data_changed, dispatch_uid="evaluation.programme_data_changed")
def _programme_data_changed(sender, *, programme_id: int, **kwargs) -> None:
    report_queue(programme_id=programme_id)


def report_queue(*, programme_id: int) -> None:
    """A worker computes the programme's report once the transaction that changed its data
    commits (it would not see the change before)."""
    transaction.on_commit(lambda: compute_report.delay(programme_id))


@transaction.atomic
def report_retry(*, programme: Programme) -> None:
    """Try a failed report again: its pages say "Updating" until it is stored, or fails once
    more."""
    ReportFailure.objects.filter(programme=programme).delete()
    report_queue(programme_id=programme.pk)


def reports_of_another_threshold_queue() -> list[int]:
    """Queue the report of every programme whose latest report was computed with another
    suppression threshold than today's (or before thresholds were recorded): it is out of
    date, and the worker computes it as a new data version. The ids of those programmes."""
    latest = {}
    rows = ReportSnapshot.objects.order_by("programme_id", "data_version")
    for programme_id, threshold in rows.values_list("programme_id", "threshold"):
        latest[programme_id] = threshold
    queued = [pk for pk, threshold in latest.items() if threshold != settings.SUPPRESSION_THRESHOLD]
    for programme_id in queued:
        compute_report.delay(programme_id)
    return queued


@worker_ready.connect(dispatch_uid="evaluation.worker_ready")
def _worker_ready(sender=None, **kwargs) -> None:
    """A changed SUPPRESSION_THRESHOLD reaches the workers as they restart with it: each then
    queues the reports it has made out of date (a second worker's tasks find them done)."""
    try:
        queued = reports_of_another_threshold_queue()
    except DatabaseError:
        logger.exception("Reports of another threshold: the database does not answer")
        return
    if queued:
        logger.info("Reports of another threshold queued for programmes %s", queued)
