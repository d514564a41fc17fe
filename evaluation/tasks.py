import logging
from contextlib import nullcontext

from celery import shared_task
from celery.signals import worker_ready
from celery.utils.time import get_exponential_backoff_interval
from django.contrib.auth import get_user_model
from django.utils import timezone

from programmes.models import Programme
from schools.models import School

from . import reports, retention, services, upload_files, upload_leases
from .models import AssessmentUpload

User = get_user_model()
logger = logging.getLogger(__name__)


def _run(task, step, upload_id: int) -> None:
    """Run one step on an upload, once however often it is queued (see upload_leases); if it
    breaks, say so on the upload rather than leave it looking busy for ever, then let Celery
    record the error."""
    upload = (
        AssessmentUpload.objects.select_related("window__programme").filter(pk=upload_id).first()
    )
    if upload is None:
        return  # deleted meanwhile
    task_id = task.request.id
    if not upload_leases.upload_claim(upload_id=upload_id, task_id=task_id, now=timezone.now()):
        logger.info("Upload %s: done, or another task is on it", upload_id)
        return
    # In-process (no broker), the step lives and dies with the process that runs it.
    beating = (
        nullcontext()
        if task.request.is_eager
        else upload_leases.heartbeat(upload_id=upload_id, task_id=task_id)
    )
    try:
        with beating:
            step(upload=upload)
    except Exception as error:
        upload_leases.upload_step_failed(upload_id=upload_id, task_id=task_id, error=error)
        # Failed is final (the person uploads again), so neither file is of use any more.
        upload_files.upload_files_delete(upload=upload)
        raise
    finally:
        upload_leases.upload_release(upload_id=upload_id, task_id=task_id)


@shared_task(bind=True)
def validate_upload(self, upload_id: int) -> None:
    _run(self, services.upload_validate, upload_id)


@shared_task(bind=True)
def import_upload(self, upload_id: int) -> None:
    _run(self, services.upload_import, upload_id)


@shared_task(bind=True)
def rollback_upload(self, upload_id: int) -> None:
    _run(self, services.upload_rollback, upload_id)


@shared_task
def requeue_stalled_uploads() -> None:
    """Every few minutes (Celery beat) and as each worker starts: queue again each step that
    could not be queued, or whose worker stopped (see upload_leases). Safe to run twice, or
    on two workers at once."""
    for upload in upload_leases.uploads_stalled_claim(now=timezone.now()):
        upload_leases.upload_queue(upload)


@shared_task
def expire_uploads() -> None:
    """Hourly (Celery beat) and as each worker starts: no upload's files outlive
    UPLOAD_FILE_HOURS. Safe to run twice, or on two workers at once."""
    now = timezone.now()
    upload_files.uploads_expire(now=now)
    upload_files.stored_upload_files_expire(now=now)


@worker_ready.connect(dispatch_uid="evaluation.expire_uploads")
def _sweep_uploads_when_a_worker_starts(sender=None, **kwargs) -> None:
    """So that a deployment without beat sweeps too, at least whenever a worker starts (and
    an upload queued while every worker was down expires as they come back, or is queued
    again if its queuing failed or its worker was lost)."""
    expire_uploads.delay()
    requeue_stalled_uploads.delay()


# A report that fails is tried again after about 30 s, 1 and 2 minutes, then recorded as failed.
REPORT_RETRIES = 3
REPORT_RETRY_BACKOFF = 30


def _report_attempt(programme_id: int, attempt: int, last: bool) -> Exception | None:
    """One attempt at the report; the error, recorded on the programme if it was the last."""
    try:
        reports.report_compute(programme_id=programme_id)
    except Programme.DoesNotExist:
        return None  # deleted meanwhile: nothing to report on
    except Exception as error:
        if last:
            reports.report_failure_record(programme_id=programme_id, error=error, attempts=attempt)
        return error
    return None


@shared_task(bind=True, max_retries=REPORT_RETRIES)
def compute_report(self, programme_id: int) -> None:
    """Retried by the worker with exponential backoff. Run in-process (no broker: tests and
    `make run`), Celery's retry would not retry but raise to whoever queued the task (the
    page that saved the data), so the attempts follow one another at once, and the last
    failure is logged, not raised: the programme's pages show it."""
    if self.request.is_eager:
        for attempt in range(1, REPORT_RETRIES + 2):
            error = _report_attempt(programme_id, attempt, last=attempt > REPORT_RETRIES)
            if error is None:
                return
        logger.error(
            "Report of programme %s failed %s times", programme_id, attempt, exc_info=error
        )
        return
    retries = self.request.retries
    error = _report_attempt(programme_id, retries + 1, last=retries >= REPORT_RETRIES)
    if error is None:
        return
    if retries < REPORT_RETRIES:
        backoff = get_exponential_backoff_interval(
            REPORT_RETRY_BACKOFF, retries, maximum=600, full_jitter=False
        )
        raise self.retry(exc=error, countdown=backoff)
    raise error


@shared_task
def delete_school_pupil_data(school_id: int, actor_id: int) -> None:
    """Run again, it deletes nothing more: what was deleted is gone."""
    retention.school_pupil_data_delete(
        actor=User.objects.get(pk=actor_id), school=School.objects.get(pk=school_id)
    )


@shared_task
def delete_programme_pupil_data(programme_id: int, actor_id: int) -> None:
    retention.programme_pupil_data_delete(
        actor=User.objects.get(pk=actor_id), programme=Programme.objects.get(pk=programme_id)
    )
