"""Deleting pupil data when its retention period ends: a school's, or a whole programme's.
Set-based SQL (a programme may hold a million results), all or nothing, recorded in the
audit log with what was deleted."""

from django.db import connection, transaction

from accounts.audit import audit
from accounts.models import AuditAction
from mathsprog.queueing import Sending, enqueue_on_commit
from programmes.models import Programme
from programmes.services import programme_data_changed
from schools.academic_year import academic_year_of
from schools.models import School

from . import staging, upload_files
from .models import (
    AssessmentUpload,
    AssessmentWindow,
    Pupil,
    PupilYear,
    PupilYearRevision,
    Result,
    ResultRevision,
    UploadStatus,
)

P, PY, R = Pupil._meta.db_table, PupilYear._meta.db_table, Result._meta.db_table
RR, PYR = ResultRevision._meta.db_table, PupilYearRevision._meta.db_table


def _run(sql: str, params: dict) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _delete_results(where: str, params: dict) -> int:
    """Delete the results matching `where` (on alias r), with their revisions."""
    _run(f"DELETE FROM {RR} WHERE result_id IN (SELECT r.id FROM {R} r WHERE {where})", params)
    return _run(f"DELETE FROM {R} WHERE id IN (SELECT r.id FROM {R} r WHERE {where})", params)


def _delete_pupil_years(where: str, params: dict) -> int:
    _run(
        f"DELETE FROM {PYR} WHERE pupil_year_id IN (SELECT y.id FROM {PY} y WHERE {where})", params
    )
    return _run(f"DELETE FROM {PY} WHERE id IN (SELECT y.id FROM {PY} y WHERE {where})", params)


def _delete_orphan_pupils() -> int:
    staging.hold_pupils(exclusive=True)
    return _run(
        f"DELETE FROM {P} WHERE NOT EXISTS (SELECT 1 FROM {R} r WHERE r.pupil_id = {P}.id) "
        f"AND NOT EXISTS (SELECT 1 FROM {PY} y WHERE y.pupil_id = {P}.id)",
        {},
    )


def school_pupil_data_delete_queue(*, actor, school: School) -> Sending:
    """A deletion can touch a million rows, so a worker does it, not the web request. Nothing
    is written until the worker starts, so a queue that does not answer leaves nothing to
    record: the person is asked to try again."""
    return enqueue_on_commit("evaluation.tasks.delete_school_pupil_data", school.pk, actor.pk)


def programme_pupil_data_delete_queue(*, actor, programme: Programme) -> Sending:
    return enqueue_on_commit("evaluation.tasks.delete_programme_pupil_data", programme.pk, actor.pk)


@transaction.atomic
def school_pupil_data_delete(*, actor, school: School) -> dict:
    """Every pupil's details and results for the years they were at this school, and the
    files of every upload that may hold them (see upload_files)."""
    windows = AssessmentWindow.objects.all().values_list("pk", "date", "programme_id")
    results, programmes = 0, set()
    by_year = {}
    for pk, day, programme_id in windows:
        by_year.setdefault(academic_year_of(day), []).append((pk, programme_id))
    for year, items in by_year.items():
        for window_id, programme_id in items:
            deleted = _delete_results(
                f"r.window_id = %(window)s AND r.pupil_id IN (SELECT y.pupil_id FROM {PY} y "
                "WHERE y.school_id = %(school)s AND y.academic_year = %(year)s)",
                {"window": window_id, "school": school.pk, "year": year},
            )
            if deleted:
                results += deleted
                programmes.add(programme_id)
    pupil_years = _delete_pupil_years("y.school_id = %(school)s", {"school": school.pk})
    counts = {"results": results, "pupil_years": pupil_years, "pupils": _delete_orphan_pupils()}
    upload_files.school_upload_files_delete(school=school, programme_ids=programmes)
    for programme_id in programmes:
        programme_data_changed(programme_id=programme_id)
    audit(
        actor,
        AuditAction.DELETED_PUPIL_DATA,
        f"All pupil data of {school}",
        school=school,
        **counts,
    )
    return counts


@transaction.atomic
def programme_pupil_data_delete(*, actor, programme: Programme) -> dict:
    """Every result of the programme's assessments and its uploaded files; then its pupils,
    with their details for every year. Pupils are per programme (see evaluation.pseudonym):
    another programme's pupils, at the same schools or the same children, stay as they are."""
    params = {"programme": programme.pk}
    windows = (
        f"SELECT w.id FROM {AssessmentWindow._meta.db_table} w WHERE w.programme_id = %(programme)s"
    )
    results = _delete_results(f"r.window_id IN ({windows})", params)
    uploads = AssessmentUpload.objects.filter(window__programme=programme).exclude(
        status=UploadStatus.DELETED
    )
    PupilYearRevision.objects.filter(upload__in=uploads).delete()
    for upload in uploads:
        for field in (upload.file, upload.staged):
            if field:
                field.delete(save=False)
    uploads.update(status=UploadStatus.DELETED, error_report=None, errors=[], file="", staged="")
    pupil_years = _delete_pupil_years("y.programme_id = %(programme)s", params)
    staging.hold_pupils(exclusive=True)
    deleted = _run(f"DELETE FROM {P} WHERE programme_id = %(programme)s", params)
    counts = {"results": results, "pupil_years": pupil_years, "pupils": deleted}
    programme_data_changed(programme_id=programme.pk)
    audit(
        actor,
        AuditAction.DELETED_PUPIL_DATA,
        f"All pupil data of {programme}",
        programme=programme,
        **counts,
    )
    return counts
