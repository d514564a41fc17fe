"""The broker down, and a worker killed whole: nothing answers 500, nothing waits for ever,
and nothing is imported twice. On the real broker and database, with real workers; "down" is
a Redis address where nothing listens."""

import json
import os
import signal
import threading
import uuid
from types import SimpleNamespace

import pytest
import redis
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from evaluation import services, tasks
from evaluation.models import AssessmentUpload, ReportFailure, Result, UploadStatus
from programmes.models import Programme
from schools.models import ImportStatus
from schools.services import school_register_import_create

from ..broker import NOBODY_LISTENS, broker
from ..schools.gias import gias_csv, school_row
from ..services import redis_url, require_postgresql
from ..workers import Workers, wait_for
from .files import pupil_row, results_csv

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]

QUEUE_DOWN = "We couldn't reach the task queue"


@pytest.fixture
def broker_down(settings, media):
    require_postgresql()
    with broker(NOBODY_LISTENS):
        # After Celery has read its settings (at first use), or it would keep this one.
        settings.CELERY_TASK_ALWAYS_EAGER = False
        yield


@pytest.fixture
def broker_back():
    """The real broker, on a queue of this test's own: `messages()` are what was queued."""
    url, queue = redis_url(), f"mathsprog-test-{uuid.uuid4().hex[:8]}"
    server = redis.Redis.from_url(url)

    def messages() -> list[tuple[str, str]]:
        sent = [json.loads(raw)["headers"] for raw in server.lrange(queue, 0, -1)]
        return [(headers["task"], headers["argsrepr"]) for headers in sent]

    with broker(url, queue):
        yield messages
    server.delete(queue)


def _ready(window, school, rows: int = 3) -> AssessmentUpload:
    """An upload of the school's, checked in this process, waiting for confirmation."""
    content = results_csv([pupil_row(n, school.urn) for n in range(rows)])
    upload = services.upload_store(
        uploaded_by=None, window=window, school=school, file=ContentFile(content, "results.csv")
    )
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY
    return upload


def test_an_upload_sent_while_the_broker_is_down_waits_and_is_queued_on_try_again(
    client, world, window, broker_down, broker_back
):
    client.force_login(world.head_a)
    content = results_csv([pupil_row(n, world.school_a.urn) for n in range(3)])
    with broker(NOBODY_LISTENS):
        response = client.post(
            reverse("evaluation:upload_new"),
            {
                "window": window.pk,
                "school": world.school_a.pk,
                "file": SimpleUploadedFile("results.csv", content),
            },
            follow=True,
        )
    page = response.content.decode()
    assert response.status_code == 200
    upload = AssessmentUpload.objects.get()
    assert (upload.status, upload.queue_failed_at is not None) == (UploadStatus.QUEUED, True)
    assert QUEUE_DOWN in page
    again = reverse("evaluation:upload_queue_again", args=[upload.pk])
    assert f'action="{again}"' in page
    with broker(NOBODY_LISTENS):  # still down: it says so again
        page = client.post(again, follow=True).content.decode()
    assert QUEUE_DOWN in page
    assert broker_back() == []
    page = client.post(again, follow=True).content.decode()  # the broker is back
    assert "Queued again." in page
    assert QUEUE_DOWN not in page
    upload.refresh_from_db()
    assert (upload.status, upload.queue_failed_at) == (UploadStatus.QUEUED, None)
    assert broker_back() == [("evaluation.tasks.validate_upload", f"({upload.pk},)")]
    # Pressed again (a second tab), it queues nothing more.
    page = client.post(again, follow=True).content.decode()
    assert "This upload is already on the queue." in page
    assert len(broker_back()) == 1


def test_a_confirmation_while_the_broker_is_down_stays_claimed_for_import(
    client, world, window, broker_down, broker_back
):
    upload = _ready(window, world.school_a)
    client.force_login(world.head_a)
    with broker(NOBODY_LISTENS):
        response = client.post(reverse("evaluation:upload_confirm", args=[upload.pk]), follow=True)
    assert response.status_code == 200
    assert QUEUE_DOWN in response.content.decode()
    upload.refresh_from_db()
    assert (upload.status, upload.queue_failed_at is not None) == (UploadStatus.IMPORTING, True)
    # Confirming again is refused (it is claimed), and Try again queues the import.
    client.post(reverse("evaluation:upload_confirm", args=[upload.pk]))
    assert (
        client.post(reverse("evaluation:upload_queue_again", args=[upload.pk])).status_code == 302
    )
    assert broker_back() == [("evaluation.tasks.import_upload", f"({upload.pk},)")]


def test_a_rollback_while_the_broker_is_down_waits_to_be_queued(client, world, window, broker_down):
    upload = _ready(window, world.school_a)
    services.upload_import_now(upload=upload)
    client.force_login(world.head_a)
    response = client.post(reverse("evaluation:upload_rollback", args=[upload.pk]), follow=True)
    assert response.status_code == 200
    assert QUEUE_DOWN in response.content.decode()
    upload.refresh_from_db()
    assert (upload.status, upload.queue_failed_at is not None) == (UploadStatus.ROLLING_BACK, True)
    assert Result.objects.count() == 3  # nothing rolled back yet


def test_a_recompute_while_the_broker_is_down_says_so(client, world, broker_down):
    client.force_login(world.hub_lead)
    url = reverse("evaluation:report_recompute", args=[world.programme.slug])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert QUEUE_DOWN in page
    assert "Retry the report" in page
    failure = ReportFailure.objects.get(programme=world.programme)
    assert failure.attempts == 0
    assert failure.data_version == Programme.objects.get(pk=world.programme.pk).data_version


def test_a_deletion_or_register_import_while_the_broker_is_down_says_so(client, world, broker_down):
    client.force_login(world.admin)
    response = client.post(
        reverse("evaluation:retention"),
        {"school": world.school_a.pk, "confirm": str(world.school_a.urn)},
        follow=True,
    )
    assert response.status_code == 200
    assert f"so nothing of {world.school_a.name} has been deleted" in response.content.decode()
    register_import = school_register_import_create(
        uploaded_by=world.admin, file_name="gias.csv", content=gias_csv([school_row(100001)])
    )
    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.FAILED
    assert register_import.errors[0]["reason"] == "the task queue did not answer"


def test_a_worker_starting_queues_the_uploads_that_could_not_be_queued(
    client, world, window, broker_down
):
    client.force_login(world.head_a)
    content = results_csv([pupil_row(n, world.school_a.urn) for n in range(3)])
    client.post(
        reverse("evaluation:upload_new"),
        {
            "window": window.pk,
            "school": world.school_a.pk,
            "file": SimpleUploadedFile("results.csv", content),
        },
    )
    upload = AssessmentUpload.objects.get()
    assert upload.queue_failed_at is not None
    workers = Workers()
    workers.start("one")
    try:
        wait_for(lambda: AssessmentUpload.objects.get(pk=upload.pk).status == UploadStatus.READY)
    finally:
        workers.stop()
    assert AssessmentUpload.objects.get(pk=upload.pk).queue_failed_at is None


def test_two_runs_of_one_import_at_once_import_it_once(world, window):
    require_postgresql()
    upload = _ready(window, world.school_a, rows=50)
    services._claim_for_import(upload, None)

    def run() -> None:
        try:
            services.upload_import(upload=AssessmentUpload.objects.get(pk=upload.pk))
        finally:
            connections.close_all()

    runs = [threading.Thread(target=run) for _ in range(2)]
    with transaction.atomic():  # both runs read IMPORTING, then wait for the programme's lock
        Programme.objects.select_for_update().get(pk=world.programme.pk)
        for thread in runs:
            thread.start()
        wait_for(lambda: _waiting_for_a_lock() == 2, seconds=20)
    for thread in runs:
        thread.join()
    upload.refresh_from_db()
    assert (upload.status, upload.created, upload.unchanged) == (UploadStatus.IMPORTED, 50, 0)
    assert Result.objects.count() == 50
    assert AuditEvent.objects.filter(action=AuditAction.IMPORTED).count() == 1


def test_a_task_that_breaks_after_its_step_was_queued_again_leaves_the_upload_to_the_other(
    world, window
):
    """A worker that went quiet (so its step was queued again) and then breaks must not mark
    failed an upload another task is now checking."""
    upload = _ready(window, world.school_a)
    AssessmentUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.VALIDATING)

    def step(upload):
        AssessmentUpload.objects.filter(pk=upload.pk).update(task_id="the-other-task")
        raise RuntimeError("the database went away")

    quiet = SimpleNamespace(request=SimpleNamespace(id="the-quiet-task", is_eager=True))
    with pytest.raises(RuntimeError):
        tasks._run(quiet, step, upload.pk)
    upload.refresh_from_db()
    assert (upload.status, upload.failure, upload.task_id) == (
        UploadStatus.VALIDATING,
        "",
        "the-other-task",
    )


def _waiting_for_a_lock() -> int:
    with connections["progress"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_a_worker_killed_whole_mid_import_is_noticed_and_its_import_done_once(
    client, settings, world, window
):
    """SIGKILL to the whole worker: no process is left to hand its task back, and Redis
    would hold it for the two-hour visibility timeout."""
    settings.UPLOAD_STALL_SECONDS = 2
    content = results_csv([pupil_row(n, world.school_a.urn) for n in range(100_000)])
    upload = services.upload_store(
        uploaded_by=None, window=window, school=world.school_a, file=ContentFile(content, "big.csv")
    )
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    services._claim_for_import(upload, None)
    workers = Workers(UPLOAD_STALL_SECONDS="2")
    one = workers.start("one")
    try:
        workers.send(tasks.import_upload, upload.pk)
        wait_for(lambda: AssessmentUpload.objects.get(pk=upload.pk).progress >= 50, every=0.05)
        os.killpg(one.pid, signal.SIGKILL)  # the worker and its pool: no process is left
        one.wait()
        client.force_login(world.head_a)
        page_url = upload.get_absolute_url()
        wait_for(lambda: "has stopped answering" in client.get(page_url).content.decode())
        assert AssessmentUpload.objects.get(pk=upload.pk).status == UploadStatus.IMPORTING
        assert Result.objects.count() == 0
        workers.start("two")  # its start sweeps the lost import onto the queue again
        wait_for(lambda: AssessmentUpload.objects.get(pk=upload.pk).restarts == 1)
        assert "queued again (attempt 2)" in client.get(page_url).content.decode()
        wait_for(lambda: AssessmentUpload.objects.get(pk=upload.pk).status == UploadStatus.IMPORTED)
        # A second sweep, and the lost task delivered at last, change nothing.
        tasks.requeue_stalled_uploads()
        workers.send(tasks.import_upload, upload.pk)
        server = redis.Redis.from_url(workers.broker)
        wait_for(lambda: server.llen(workers.queue) == 0)
    finally:
        logs = workers.stop()
    assert "done, or another task is on it" in logs[1]
    upload.refresh_from_db()
    assert (upload.created, upload.restarts) == (100_000, 1)
    assert Result.objects.count() == 100_000
    assert AuditEvent.objects.filter(action=AuditAction.IMPORTED).count() == 1
    assert "attempt 2" in client.get(page_url).content.decode()
