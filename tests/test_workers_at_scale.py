"""Several real workers on one queue: work is shared, a worker killed mid-import leaves
nothing half-written and the import is done again to completion, and two reports of one
programme never run at once."""

import os
import re
import signal

import pytest
from django.core.files.base import ContentFile

from evaluation import services
from evaluation.models import AssessmentUpload, ReportSnapshot, Result, UploadStatus
from evaluation.tasks import compute_report, import_upload, validate_upload

from .evaluation.files import pupil_row, results_csv
from .workers import Workers, pool_children, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]


def _upload(window, school, rows: int, first: int = 0) -> AssessmentUpload:
    content = results_csv([pupil_row(first + n, school.urn) for n in range(rows)])
    return services.upload_store(
        uploaded_by=None,
        window=window,
        school=None,
        file=ContentFile(content, name=f"results-{first}.csv"),
    )


@pytest.fixture
def workers():
    pool = Workers()
    yield pool
    pool.stop()


def test_two_workers_share_imports_and_reports(world, window, school_c, workers):
    workers.start("one")
    workers.start("two")
    uploads = [_upload(window, world.school_a, 2000, first=10_000 * n) for n in range(6)]
    for upload in uploads:
        workers.send(validate_upload, upload.pk)
    wait_for(lambda: all(u.status == UploadStatus.READY for u in AssessmentUpload.objects.all()))
    for upload in uploads:  # each import queues a report of the programme
        services._claim_for_import(upload, None)
        workers.send(import_upload, upload.pk)
    wait_for(lambda: all(u.status == UploadStatus.IMPORTED for u in AssessmentUpload.objects.all()))
    world.programme.refresh_from_db()
    wait_for(
        lambda: ReportSnapshot.objects.filter(data_version=world.programme.data_version).exists()
    )
    one, two = workers.stop()
    for task in ("validate_upload", "import_upload", "compute_report"):
        done = [len(re.findall(rf"{task}\[.*\] succeeded", log)) for log in (one, two)]
        assert sum(done) == 6, (task, done)
    both = [len(re.findall(r"\] succeeded", log)) for log in (one, two)]
    assert min(both) >= 1, both  # work went to both


def test_a_worker_killed_mid_import_leaves_nothing_half_written(world, window, workers):
    upload = _upload(window, world.school_a, 100_000)
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    services._claim_for_import(upload, None)
    worker = workers.start("one")
    workers.send(import_upload, upload.pk)
    wait_for(
        lambda: AssessmentUpload.objects.get(pk=upload.pk).progress >= 50, seconds=60, every=0.05
    )
    (child,) = pool_children(worker)
    os.kill(child, signal.SIGKILL)  # the process running the import dies mid-transaction
    assert Result.objects.count() == 0
    assert AssessmentUpload.objects.get(pk=upload.pk).status == UploadStatus.IMPORTING
    # Acknowledged only once done, the task goes back on the queue and is done again.
    wait_for(lambda: AssessmentUpload.objects.get(pk=upload.pk).status == UploadStatus.IMPORTED)
    assert Result.objects.count() == 100_000
    (log,) = workers.stop()
    assert "WorkerLostError" in log or "exited with 'signal 9" in log


def test_two_reports_of_one_programme_never_run_at_once(world, window, workers):
    _upload(window, world.school_a, 30_000)
    upload = AssessmentUpload.objects.get()
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    services.upload_import_now(upload=upload)
    ReportSnapshot.objects.all().delete()
    workers.start("one")
    workers.start("two")
    workers.send(compute_report, world.programme.pk)
    workers.send(compute_report, world.programme.pk)
    wait_for(lambda: ReportSnapshot.objects.exists())
    logs = "\n".join(workers.stop())
    line = (
        r"^\[(\S+ \S+): INFO/\S+\] Report of programme \d+, version \d+: "
        r"(computing|stored|already computed)$"
    )
    events = sorted(re.findall(line, logs, re.M))
    assert [what for _, what in events] == ["computing", "stored", "already computed"], logs[-3000:]
    assert ReportSnapshot.objects.count() == 1
