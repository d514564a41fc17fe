"""A real Celery worker process, on the real broker and database, doing real work: an import,
and the reports a changed suppression threshold has put out of date."""

from datetime import date

import pytest
from django.core.files.base import ContentFile

from evaluation import pseudonym, services, tasks
from evaluation.models import AssessmentUpload, AssessmentWindow, ReportSnapshot, UploadStatus
from schools.models import ImportStatus, School, SchoolRegisterImport
from schools.tasks import run_school_register_import

from .evaluation.files import pupil_row, results_csv
from .schools.gias import gias_csv, school_row
from .workers import Workers, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]


@pytest.fixture
def worker():
    pool = Workers()
    pool.start("one")
    yield pool
    pool.stop()


def _finished(register_import: SchoolRegisterImport) -> SchoolRegisterImport:
    def done():
        register_import.refresh_from_db()
        return register_import.is_finished

    wait_for(done, seconds=60)
    return register_import


def test_a_real_worker_imports_the_register(worker):
    content = gias_csv([school_row(100001), school_row(100002, EstablishmentName="Oakfield")])
    register_import = SchoolRegisterImport.objects.create(file_name="gias.csv", content=content)
    worker.send(run_school_register_import, register_import.pk)
    _finished(register_import)
    assert register_import.status == ImportStatus.DONE
    assert (register_import.created, register_import.updated) == (2, 0)
    assert dict(School.objects.values_list("urn", "name")) == {
        100001: "St Mary’s Primary School",
        100002: "Oakfield",
    }
    # Delivered twice (as late acknowledgement allows), the task changes nothing more.
    worker.send(run_school_register_import, register_import.pk)
    worker.send(run_school_register_import, 0)  # an upload deleted meanwhile is skipped
    later = SchoolRegisterImport.objects.create(file_name="again.csv", content=content)
    worker.send(run_school_register_import, later.pk)
    _finished(later)
    assert (later.created, later.updated, later.unchanged) == (0, 0, 2)
    assert School.objects.count() == 2


def test_a_worker_started_with_another_threshold_recomputes_the_reports_of_the_old_one(world):
    """A changed SUPPRESSION_THRESHOLD reaches workers as they restart with it."""
    programme = world.programme
    ReportSnapshot.objects.create(programme=programme, data_version=0, threshold=5)
    pool = Workers(SUPPRESSION_THRESHOLD="3")
    pool.start("one")
    try:
        snapshot = wait_for(lambda: ReportSnapshot.objects.filter(threshold=3).first())
    finally:
        pool.stop()
    programme.refresh_from_db()
    assert (snapshot.programme_id, snapshot.data_version) == (programme.pk, 1)
    assert programme.data_version == 1
    assert not ReportSnapshot.objects.filter(threshold=5).exists()


def test_a_worker_starting_expires_the_uploads_past_their_time(settings, tmp_path, world):
    """An upload queued while every worker was down, and past UPLOAD_FILE_HOURS (0 here) when
    one starts: the worker sweeps it up, file and all."""
    settings.MEDIA_ROOT = tmp_path  # the worker's too; nobody else's files are here
    window = AssessmentWindow.objects.create(
        programme=world.programme, slug="b", name="B", kind="baseline", date=date(2025, 9, 22)
    )
    upload = services.upload_store(
        uploaded_by=None, window=window, school=None, file=ContentFile(b"UPN\r\n", "r.csv")
    )
    assert [path for path in tmp_path.rglob("*") if path.is_file()]
    pool = Workers(UPLOAD_FILE_HOURS="0")
    pool.start("one")
    try:
        wait_for(lambda: not [path for path in tmp_path.rglob("*") if path.is_file()])
    finally:
        pool.stop()
    upload.refresh_from_db()
    assert (upload.status, upload.file.name) == (UploadStatus.EXPIRED, "")
    assert AssessmentUpload.objects.count() == 1


def test_a_real_worker_has_a_large_files_pupils_hashed_by_a_helper(world, window):
    """A pool process of a prefork worker is a daemon, which multiprocessing may not give
    children: the helper is a plain subprocess, and the check it helps gives every pupil."""
    if not pseudonym.MANY_CORES:
        pytest.skip("a machine of one core hashes in the check's own process")
    count = pseudonym.HELPER_ROWS + 1_000
    content = results_csv([pupil_row(n, world.school_a.urn) for n in range(1, count + 1)])
    upload = services.upload_store(
        uploaded_by=None, window=window, school=None, file=ContentFile(content, "r.csv")
    )
    pool = Workers()
    pool.start("one")
    try:
        pool.send(tasks.validate_upload, upload.pk)
        wait_for(lambda: AssessmentUpload.objects.get(pk=upload.pk).status == UploadStatus.READY)
    finally:
        (output,) = pool.stop()
    upload.refresh_from_db()
    assert (upload.rows, upload.summary["totals"]["new_pupils"]) == (count, count)
    assert "Pupils hashed by a helper process" in output
