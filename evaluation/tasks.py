from celery import shared_task
from django.contrib.auth import get_user_model

from programmes.models import Programme
from schools.models import School

from . import reports, retention, services
from .models import AssessmentUpload, UploadStatus

User = get_user_model()


def _run(step, upload_id: int) -> None:
    """Run one step on an upload; if it breaks, say so on the upload rather than leave it
    looking busy for ever, then let Celery record the error."""
    upload = (
        AssessmentUpload.objects.select_related("window__programme").filter(pk=upload_id).first()
    )
    if upload is None:
        return  # deleted meanwhile
    try:
        step(upload=upload)
    except Exception as error:
        AssessmentUpload.objects.filter(pk=upload_id).update(
            status=UploadStatus.FAILED, failure=f"{type(error).__name__}: {error}"[:2000]
        )
        raise


@shared_task
def validate_upload(upload_id: int) -> None:
    _run(services.upload_validate, upload_id)


@shared_task
def import_upload(upload_id: int) -> None:
    _run(services.upload_import, upload_id)


@shared_task
def rollback_upload(upload_id: int) -> None:
    _run(services.upload_rollback, upload_id)


@shared_task
def compute_report(programme_id: int) -> None:
    reports.report_compute(programme_id=programme_id)


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
