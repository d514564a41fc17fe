"""Assessment uploads, from file to results: check, preview, import, roll back. Each step is
a Celery task (see tasks.py) that calls one of the `upload_*` functions here."""

import hashlib
import logging
import tempfile
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.models import AuditAction
from mathsprog.memory import fewer_collections
from programmes.models import Programme
from programmes.services import programme_data_changed
from schools.academic_year import academic_year_of, academic_year_start
from schools.models import School

from . import staging, upload_files, upload_recheck, upload_summary
from .kept_rows import keep_staged
from .models import AssessmentUpload, AssessmentWindow, UploadStatus
from .selectors import schools_for_upload
from .staged_text import tsv_text
from .upload_ctf import CtfTally
from .upload_file import UnreadableFile, read_rows
from .upload_leases import upload_queue
from .upload_limits import took_too_long
from .validation import ResultsValidator, RowError

logger = logging.getLogger(__name__)


@transaction.atomic
def upload_create(
    *, uploaded_by, window: AssessmentWindow, school: School | None, file, ctf: dict | None = None
):
    """Store the file where every worker can read it, and queue its check. `ctf`: for a
    Common Transfer File, which of its results go to the window (see upload_ctf)."""
    upload = upload_store(uploaded_by=uploaded_by, window=window, school=school, file=file, ctf=ctf)
    audit(
        uploaded_by,
        AuditAction.UPLOADED,
        f"{upload.file_name} for {window.name}",
        programme=window.programme,
        school=school,
        upload=upload.pk,
        sha256=upload.file_sha256,
    )
    upload_queue(upload)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No worker, so no beat (`make run`): each upload sweeps up the expired ones.
        transaction.on_commit(lambda: upload_files.uploads_expire(now=timezone.now()))
    return upload


def upload_store(
    *, uploaded_by, window: AssessmentWindow, school: School | None, file, ctf: dict | None = None
):
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return AssessmentUpload.objects.create(
        window=window,
        school=school,
        uploaded_by=uploaded_by,
        file=file,
        file_name=file.name,
        file_sha256=digest.hexdigest(),
        # Until the check replaces it with the preview: the reader of a CTF takes it from here.
        summary={"ctf": ctf} if ctf else {},
    )


# Seconds between two reports of a check's progress: the page asks every few seconds, and a
# report each chunk (a hundred for a million rows) took a quarter of a second.
PROGRESS_EVERY = 0.5


def report_progress(upload: AssessmentUpload, percent: int) -> None:
    """Best effort, on its own connection: a progress bar is never worth failing an import."""
    try:
        alias = "progress" if "progress" in settings.DATABASES else "default"
        AssessmentUpload.objects.using(alias).filter(pk=upload.pk).update(progress=percent)
    except DatabaseError:
        logger.warning("Could not report progress of upload %s", upload.pk)


class _Check:
    """One pass of validation over an upload's file, reporting progress as it goes, and
    turning clean rows into staged lines."""

    def __init__(self, upload: AssessmentUpload):
        self.upload = upload
        self.validator = ResultsValidator(
            window=upload.window,
            schools=schools_for_upload(upload),
            only_school_id=upload.school_id,
        )
        self.file = upload.file.open("rb")
        self.size = max(upload.file.size, 1)
        self.ctf = CtfTally()  # of a CTF: which results went to the window, which not and why

    def lines(self):
        """Staged lines for every clean row, a chunk of the file at a time."""
        reported = -PROGRESS_EVERY
        for columns in self.validator.clean_chunks(read_rows(self.file, tally=self.ctf)):
            yield tsv_text(columns)
            if time.monotonic() - reported >= PROGRESS_EVERY:
                report_progress(self.upload, int(90 * self._share_read()))
                reported = time.monotonic()

    def _share_read(self) -> float:
        # The reader closes the file when it reaches the end.
        return 1.0 if self.file.closed else min(self.file.tell() / self.size, 1)

    def close(self) -> None:
        self.file.close()
        self.validator.close()

    def columns(self) -> list[str]:
        return sorted(self.validator.columns.positions) if self.validator.columns else []

    def score_column(self) -> str | None:
        return self.validator.columns.names.get("score")

    def record_errors(self) -> None:
        _record_errors(
            self.upload,
            count=self.validator.error_count,
            shown=[error._asdict() for error in self.validator.shown_errors],
            report=self.validator.report_bytes(),
            rows=self.validator.rows,
        )


def _record_errors(upload: AssessmentUpload, *, count, shown, report=None, rows=None) -> None:
    upload.status = UploadStatus.INVALID
    upload.error_count = count
    upload.errors = shown
    upload.error_report = report
    upload.rows = upload.rows if rows is None else rows
    upload.save(update_fields=["status", "error_count", "errors", "error_report", "rows"])


class _Discard(Exception):
    """Raised to roll back a transaction on purpose (the preview writes nothing)."""


def upload_validate(*, upload: AssessmentUpload) -> None:
    """Check every row. A file with any error is marked invalid with all its errors; a clean
    one gets a preview of what it would change, and waits for confirmation. Then, whatever
    the outcome (a check that breaks too), the file is deleted: only its clean rows are kept,
    staged and pseudonymised, for the import. (A worker lost mid-check deletes nothing, so the
    check can be done again.)"""
    if upload.status not in (UploadStatus.QUEUED, UploadStatus.VALIDATING):
        return
    if upload_files.upload_expire_if_late(upload=upload, now=timezone.now()):
        return
    AssessmentUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.VALIDATING)
    try:
        _check_file(upload)
    except Exception as error:
        # Never left "checking" for ever, whoever runs the check (a task, or the command).
        AssessmentUpload.objects.filter(pk=upload.pk, status=UploadStatus.VALIDATING).update(
            status=UploadStatus.FAILED, failure=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    finally:
        upload_files.upload_files_delete(upload=upload, staged=False)


def _check_file(upload: AssessmentUpload) -> None:
    check = _Check(upload)
    try:
        with tempfile.TemporaryFile() as kept, fewer_collections():
            summary = _preview(upload, check, kept)
            if summary is None:
                check.record_errors()
                return
            kept.seek(0)
            upload.staged.save(f"{upload.pk}.tsv.zst", File(kept), save=False)
    except (UnreadableFile, SoftTimeLimitExceeded) as error:
        reason = took_too_long() if isinstance(error, SoftTimeLimitExceeded) else str(error)
        _record_errors(upload, count=1, shown=[RowError(0, "", "", reason)._asdict()])
        return
    finally:
        check.close()
    ready = {"rows": summary["totals"]["rows"], "summary": summary, "progress": 100}
    # Unless it expired or its data was deleted meanwhile: then its rows are not kept either.
    if not AssessmentUpload.objects.filter(pk=upload.pk, status=UploadStatus.VALIDATING).update(
        status=UploadStatus.READY, staged=upload.staged.name, **ready
    ):
        upload_files.upload_files_delete(upload=upload)
        return
    upload.status = UploadStatus.READY
    for field, value in ready.items():
        setattr(upload, field, value)


def _preview(upload: AssessmentUpload, check: _Check, kept) -> dict | None:
    """What the upload would change, or None when the file has errors. The rows are staged
    in a transaction that is then rolled back: a preview writes nothing."""
    try:
        with transaction.atomic():
            staging.stage(check.lines())
            if check.validator.error_count:
                return None
            keep_staged(kept)
            summary = upload_summary.previewed(
                upload, columns=check.columns(), score_column=check.score_column(), ctf=check.ctf
            )
            raise _Discard
    except _Discard:
        return summary


def _claim_for_import(upload: AssessmentUpload, user) -> None:
    # One statement, so that two confirmations of one upload cannot both go ahead.
    changed = AssessmentUpload.objects.filter(pk=upload.pk, status=UploadStatus.READY).update(
        status=UploadStatus.IMPORTING, imported_by=user, progress=0, queue_failed_at=None
    )
    if not changed:
        raise ValidationError("This upload is not waiting for confirmation.")
    upload.refresh_from_db()


@transaction.atomic
def upload_confirm(*, upload: AssessmentUpload, user) -> None:
    """The person has seen the preview and wants it imported: claim it, and queue the import."""
    _claim_for_import(upload, user)
    upload_queue(upload)


def upload_import_now(*, upload: AssessmentUpload, user=None) -> None:
    """Confirm and import in this process: for the command line, already a background job."""
    _claim_for_import(upload, user)
    upload_import(upload=upload)


def _still(upload: AssessmentUpload, status: str) -> bool:
    # Read again under the programme's lock: a run that held it first may have done the step.
    return AssessmentUpload.objects.filter(pk=upload.pk, status=status).exists()


def upload_import(*, upload: AssessmentUpload) -> None:
    """Write a confirmed upload, all or nothing, from the rows checked at the preview (checked
    again where the window or the programme changed since: see upload_recheck). Safe to run
    twice, at once too."""
    if upload.status != UploadStatus.IMPORTING:
        return
    try:
        with transaction.atomic():
            # One import at a time per programme: their merges would otherwise interleave.
            programme = Programme.objects.select_for_update().get(pk=upload.window.programme_id)
            if not _still(upload, UploadStatus.IMPORTING):
                return
            _import_locked(upload, programme)
    except upload_recheck.Refused as refused:
        shown = [error._asdict() for error in refused.errors]
        _record_errors(upload, count=refused.count, shown=shown)
    # Imported or refused, the staged rows are of no more use (nor a file left from before
    # files were deleted once checked).
    upload_files.upload_files_delete(upload=upload)


def _import_locked(upload: AssessmentUpload, programme: Programme) -> None:
    staging.hold_pupils()
    writer, summary = upload_summary.at_import(upload, programme)
    report_progress(upload, 50)
    writer.apply()
    programme_data_changed(programme_id=programme.pk)
    totals = summary["totals"]
    upload.status = UploadStatus.IMPORTED
    upload.summary = summary
    upload.rows = totals["rows"]
    upload.created, upload.updated = totals["created"], totals["updated"]
    upload.unchanged, upload.new_pupils = totals["unchanged"], totals["new_pupils"]
    upload.imported_at = timezone.now()
    upload.progress = 100
    # Only what the import decides: the heartbeat, on another connection, owns its fields.
    counts = ["rows", "created", "updated", "unchanged", "new_pupils"]
    upload.save(update_fields=[*counts, "status", "summary", "imported_at", "progress"])
    audit(
        upload.imported_by,
        AuditAction.IMPORTED,
        f"{upload.file_name} for {upload.window.name}",
        programme=programme,
        school=upload.school,
        upload=upload.pk,
        **totals,
    )


def later_upload(upload: AssessmentUpload) -> AssessmentUpload | None:
    """An upload imported after this one for the same programme and academic year: it may
    build on this one's pupils, so it must be rolled back first."""
    year = academic_year_of(upload.window.date)
    return (
        AssessmentUpload.objects.filter(
            window__programme=upload.window.programme_id,
            window__date__gte=academic_year_start(year),
            window__date__lt=academic_year_start(year + 1),
            status__in=[UploadStatus.IMPORTED, UploadStatus.ROLLING_BACK],
            imported_at__gt=upload.imported_at,
        )
        .order_by("imported_at")
        .first()
    )


@transaction.atomic
def upload_request_rollback(*, upload: AssessmentUpload, user) -> None:
    if upload.status != UploadStatus.IMPORTED:
        raise ValidationError("Only an imported upload can be rolled back.")
    later = later_upload(upload)
    if later is not None:
        raise ValidationError(
            f"{later.file_name} was imported later for the same year: roll that back first."
        )
    if not AssessmentUpload.objects.filter(pk=upload.pk, status=UploadStatus.IMPORTED).update(
        status=UploadStatus.ROLLING_BACK, rolled_back_by=user
    ):
        raise ValidationError("Only an imported upload can be rolled back.")
    upload.status = UploadStatus.ROLLING_BACK
    audit(
        user,
        AuditAction.ROLLED_BACK,
        f"{upload.file_name} for {upload.window.name}",
        programme=upload.window.programme,
        school=upload.school,
        upload=upload.pk,
    )
    upload_queue(upload)


@transaction.atomic
def upload_rollback(*, upload: AssessmentUpload) -> None:
    """Undo an import whole. Safe to run twice, at once too."""
    if upload.status != UploadStatus.ROLLING_BACK:
        return
    Programme.objects.select_for_update().get(pk=upload.window.programme_id)
    if not _still(upload, UploadStatus.ROLLING_BACK):
        return
    staging.roll_back(upload)
    programme_data_changed(programme_id=upload.window.programme_id)
    upload.status = UploadStatus.ROLLED_BACK
    upload.rolled_back_at = timezone.now()
    upload.save(update_fields=["status", "rolled_back_at"])
    # Nothing should be left by now; an upload checked before files were deleted once checked
    # may still have its original.
    upload_files.upload_files_delete(upload=upload)
