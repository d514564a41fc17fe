"""An upload's files, kept no longer than the product needs them.

The original file holds every column a school's system exported, names and dates of birth
included: only the check reads it, and it is deleted as soon as the check has finished,
whatever the outcome. The staged rows (pseudonymised, but still personal data) are kept for
the import alone: deleted once it is done, refused or failed, and, if nobody confirms the
upload, UPLOAD_FILE_HOURS after it was sent. A retention deletion deletes the files of every
upload it touches. Files go through the default storage (a shared disk, or S3), never the file
system directly, and their fields are emptied so no page links to a missing file."""

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage

from schools.models import School

from .models import AssessmentUpload, UploadStatus
from .removal import school_uploads_touched

logger = logging.getLogger(__name__)

# Where both file fields' upload_to put their files.
FOLDER = "assessments"
# Waiting for a check or an import: once its files are gone, it must be uploaded again.
UNFINISHED = [
    UploadStatus.QUEUED,
    UploadStatus.VALIDATING,
    UploadStatus.READY,
    UploadStatus.IMPORTING,
]


def upload_files_delete(*, upload: AssessmentUpload, staged: bool = True) -> None:
    """Delete the upload's original file (and its staged rows, unless `staged` is false) from
    the storage, then record that they are gone. Safe to run twice: a missing file is not an
    error for any storage."""
    fields = ["file", "staged"] if staged else ["file"]
    for name in fields:
        field = getattr(upload, name)
        if field:
            field.delete(save=False)
        setattr(upload, name, "")
    AssessmentUpload.objects.filter(pk=upload.pk).update(**dict.fromkeys(fields, ""))


def upload_expire_if_late(*, upload: AssessmentUpload, now: datetime) -> bool:
    """Expire an upload sent more than UPLOAD_FILE_HOURS ago, deleting its files, so that no
    check starts on a file past its time (one queued while every worker was down). Whether
    it was late."""
    if upload.uploaded_at >= _cutoff(now):
        return False
    AssessmentUpload.objects.filter(pk=upload.pk, status__in=UNFINISHED).update(
        status=UploadStatus.EXPIRED, progress=0
    )
    upload_files_delete(upload=upload)
    return True


def _cutoff(now: datetime) -> datetime:
    return now - timedelta(hours=settings.UPLOAD_FILE_HOURS)


def _files_delete(uploads: Iterable[AssessmentUpload]) -> int:
    """Delete the files of each upload; one that the storage refuses is logged and left for
    the next sweep, so it holds up no other. How many uploads lost their files."""
    done = 0
    for upload in uploads:
        try:
            upload_files_delete(upload=upload)
        except Exception:
            logger.exception("Could not delete the files of upload %s", upload.pk)
        else:
            done += 1
    return done


def _with_files(uploads):
    return uploads.exclude(file="", staged="").only("pk", "file", "staged").iterator()


def uploads_expire(*, now: datetime) -> int:
    """Uploads sent more than UPLOAD_FILE_HOURS ago: those still waiting for a check or an
    import are marked expired (first, so that a check or import finishing meanwhile keeps
    nothing), and every one's files are deleted. Safe to run twice, or on two workers at once.
    How many uploads expired."""
    old = AssessmentUpload.objects.filter(uploaded_at__lt=_cutoff(now))
    expired = old.filter(status__in=UNFINISHED).update(status=UploadStatus.EXPIRED, progress=0)
    _files_delete(_with_files(old))
    if expired:
        logger.info("%s upload(s) expired unimported", expired)
    return expired


def _stored(path: str) -> Iterator[str]:
    """Every file's name under `path` in the default storage."""
    try:
        directories, files = default_storage.listdir(path)
    except FileNotFoundError:
        return
    yield from (f"{path}/{name}" for name in files)
    for directory in directories:
        yield from _stored(f"{path}/{directory}")


def stored_upload_files_expire(*, now: datetime) -> int:
    """Delete every file under assessments/ in the storage older than UPLOAD_FILE_HOURS,
    whatever the database says of it: a check done twice (its worker lost) leaves its first
    staged rows behind, a request that failed after storing its file leaves that. Nothing so
    old is needed: uploads_expire has already expired every upload it belonged to. How many
    files it deleted."""
    cutoff = _cutoff(now)
    deleted = 0
    for name in _stored(FOLDER):
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            deleted += 1
    if deleted:
        logger.info("%s stored upload file(s) older than the limit deleted", deleted)
    return deleted


def school_upload_files_delete(*, school: School, programme_ids: Iterable[int]) -> int:
    """At the deletion of a school's pupil data, the files and error reports of every upload
    that holds or may hold its pupils: its own leaders' uploads, and those of hub leads (for
    no one school) to the given programmes and every programme it takes part in. Those still
    waiting for a check or an import are expired: what they hold of the school must not be
    imported after its deletion. How many uploads lost their files."""
    touched = school_uploads_touched(school=school, programme_ids=programme_ids)
    touched.filter(status__in=UNFINISHED).update(status=UploadStatus.EXPIRED, progress=0)
    touched.update(error_report=None, errors=[])
    return _files_delete(_with_files(touched))
