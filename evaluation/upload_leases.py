"""Queueing an upload's current step, which task is on it, and whether its worker is still
alive.

A task claims the step before it starts, then a thread beats a heartbeat on the upload every
fifth of UPLOAD_STALL_SECONDS while the step runs, so that a long merge, or a wait for the
programme's lock behind another import, beats too. A worker killed whole stops beating, and
its task's message stays unacknowledged in Redis until the visibility timeout (hours) hands
it on; so a sweep (at worker start and from beat) queues again every step whose heartbeat is
older than UPLOAD_STALL_SECONDS, and every step that could not be queued at all.

A claim is refused while another task's heartbeat is fresh, so a step queued twice (by two
sweeps, or a sweep and the original message) runs once. The same task delivered again (its
pool process was killed, and Celery handed the message back) carries on at once. A killed
worker's transaction is rolled back by PostgreSQL as its connection drops, so a step done
again starts from where the last one started."""

import logging
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from mathsprog.queueing import enqueue_on_commit

from .models import AssessmentUpload, UploadStatus

logger = logging.getLogger(__name__)

# Waiting for a worker, or with one.
WORKING = [
    UploadStatus.QUEUED,
    UploadStatus.VALIDATING,
    UploadStatus.IMPORTING,
    UploadStatus.ROLLING_BACK,
]
# The task that does the step an upload in each working status waits for.
STEP_TASKS = {
    UploadStatus.QUEUED: "evaluation.tasks.validate_upload",
    UploadStatus.VALIDATING: "evaluation.tasks.validate_upload",
    UploadStatus.IMPORTING: "evaluation.tasks.import_upload",
    UploadStatus.ROLLING_BACK: "evaluation.tasks.rollback_upload",
}


def _stale(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.UPLOAD_STALL_SECONDS)


def upload_claim(*, upload_id: int, task_id: str, now: datetime) -> bool:
    """Whether this task may run the upload's step: nobody is on it, its worker has gone
    quiet, or it is this task's own, delivered again. One statement, so two tasks racing
    for it cannot both win."""
    free = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=_stale(now)) | Q(task_id=task_id)
    claimed = AssessmentUpload.objects.filter(free, pk=upload_id, status__in=WORKING)
    return bool(claimed.update(task_id=task_id, heartbeat_at=now))


def upload_release(*, upload_id: int, task_id: str) -> None:
    AssessmentUpload.objects.filter(pk=upload_id, task_id=task_id).update(
        task_id="", heartbeat_at=None
    )


def upload_step_failed(*, upload_id: int, task_id: str, error: Exception) -> None:
    """The step broke: the upload says so. One expired or deleted meanwhile says so still;
    one queued again meanwhile (this task had gone quiet) is the other task's to finish."""
    AssessmentUpload.objects.filter(pk=upload_id, task_id=task_id).exclude(
        status__in=[UploadStatus.EXPIRED, UploadStatus.DELETED]
    ).update(status=UploadStatus.FAILED, failure=f"{type(error).__name__}: {error}"[:2000])


@contextmanager
def heartbeat(*, upload_id: int, task_id: str):
    """Beat on the upload, from a thread of its own (with its own database connection: the
    step's may be deep in one long transaction), for as long as the block runs."""
    stop = threading.Event()
    every = settings.UPLOAD_STALL_SECONDS / 5

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    mine = AssessmentUpload.objects.filter(pk=upload_id, task_id=task_id)
                    if not mine.update(heartbeat_at=timezone.now()):
                        logger.warning("Upload %s was queued again while this task ran", upload_id)
                except DatabaseError:
                    logger.warning("Could not beat the heartbeat of upload %s", upload_id)
        finally:
            connections.close_all()  # this thread's own, which nobody else would close

    thread = threading.Thread(target=beat, name=f"heartbeat-{upload_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def upload_queue_failed(upload: AssessmentUpload) -> None:
    """Its step could not be queued: its page says so and offers to try again."""
    upload.queue_failed_at = timezone.now()
    AssessmentUpload.objects.filter(pk=upload.pk).update(queue_failed_at=upload.queue_failed_at)


def upload_unqueued_claim(*, upload: AssessmentUpload) -> bool:
    """Whether the upload waits for a step that could not be queued (and, if so, it no longer
    does: one of two people pressing Try again, or of two sweeps, queues it)."""
    unqueued = AssessmentUpload.objects.filter(
        pk=upload.pk, status__in=WORKING, queue_failed_at__isnull=False
    )
    if not unqueued.update(queue_failed_at=None):
        return False
    upload.queue_failed_at = None
    return True


def uploads_stalled_claim(*, now: datetime) -> list[AssessmentUpload]:
    """The uploads to queue again, each claimed by one sweep however many run at once: those
    whose step could not be queued, and those whose worker stopped beating (counted)."""
    working = AssessmentUpload.objects.filter(status__in=WORKING).only("pk", "status")
    again = [
        upload
        for upload in working.filter(queue_failed_at__isnull=False)
        if upload_unqueued_claim(upload=upload)
    ]
    stale = _stale(now)
    for upload in working.filter(heartbeat_at__lt=stale):
        lost = AssessmentUpload.objects.filter(pk=upload.pk, heartbeat_at__lt=stale)
        if lost.update(task_id="", heartbeat_at=None, restarts=F("restarts") + 1):
            logger.warning("Upload %s: its worker stopped; queued again", upload.pk)
            again.append(upload)
    return again


def is_stalled(upload: AssessmentUpload, now: datetime) -> bool:
    """Its worker has gone quiet, and no sweep has queued its step again yet."""
    return upload.heartbeat_at is not None and upload.heartbeat_at < _stale(now)


def upload_queue(upload: AssessmentUpload) -> None:
    """Queue the step the upload waits for, once the transaction commits. If the broker does
    not answer, the upload records it: its page says so and offers to try again, and the
    sweep (requeue_stalled_uploads) tries again too."""
    enqueue_on_commit(
        STEP_TASKS[upload.status],
        upload.pk,
        on_failure=lambda error: upload_queue_failed(upload),
    )


@transaction.atomic
def upload_queue_again(*, upload: AssessmentUpload, user=None) -> None:
    """Try again: queue a step that could not be queued."""
    if not upload_unqueued_claim(upload=upload):
        raise ValidationError("This upload is already on the queue.")
    upload_queue(upload)
