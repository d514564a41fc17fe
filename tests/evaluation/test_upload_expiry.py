"""Uploads not imported within UPLOAD_FILE_HOURS expire, their files deleted: swept hourly
(Celery beat), as each worker starts, and, without a worker, on each upload; and any stored
upload file older than that goes, whatever the database says of it. Each test searches the
whole of its own MEDIA_ROOT."""

from celery.signals import worker_ready
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from evaluation import tasks
from evaluation.models import UploadStatus
from mathsprog.celery import app

from .files import results_csv
from .stored import later, on_disk, pupils, queued, staged_name


def test_an_unconfirmed_upload_keeps_its_staged_rows_for_a_day_then_expires(
    media, client, world, window, send_file
):
    client.force_login(world.hub_lead)
    upload = send_file(window, results_csv(pupils(world)))
    with later(hours=23):
        tasks.expire_uploads()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY
    assert list(on_disk(media)) == [staged_name(upload)]
    with later(hours=25):
        tasks.expire_uploads()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.EXPIRED
    assert (upload.file.name, upload.staged.name) == ("", "")
    assert on_disk(media) == {}
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "This upload was not imported in time" in page
    assert "Confirm and import" not in page
    client.post(reverse("evaluation:upload_confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == UploadStatus.EXPIRED


def test_uploads_expire_after_the_hours_set(media, settings, client, world, window, send_file):
    settings.UPLOAD_FILE_HOURS = 2
    client.force_login(world.hub_lead)
    upload = send_file(window, results_csv(pupils(world)))
    with later(hours=3):
        tasks.expire_uploads()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.EXPIRED
    assert on_disk(media) == {}


def test_a_never_checked_upload_expires_when_a_worker_starts(
    media, world, window, django_capture_on_commit_callbacks
):
    upload, callbacks = queued(world, window, pupils(world), django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.QUEUED
    assert len(on_disk(media)) == 1
    with later(hours=25):
        worker_ready.send(sender=None)  # the worker, back, sweeps first
        for callback in callbacks:  # then takes the check queued a day ago
            callback()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.EXPIRED
    assert on_disk(media) == {}


def test_a_check_that_comes_a_day_late_expires_the_upload(
    media, world, window, django_capture_on_commit_callbacks
):
    upload, callbacks = queued(world, window, pupils(world), django_capture_on_commit_callbacks)
    with later(hours=25):
        for callback in callbacks:
            callback()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.EXPIRED
    assert (upload.rows, upload.summary) == (0, {})  # the late file was never read
    assert on_disk(media) == {}


def test_without_a_worker_each_upload_sweeps_up_expired_ones(
    media, client, world, window, send_file
):
    """`make run` runs tasks in-process, with no beat: the next upload sweeps."""
    client.force_login(world.hub_lead)
    first = send_file(window, results_csv(pupils(world)))
    with later(hours=25):
        client.force_login(world.hub_lead)  # a session lasts a school day
        second = send_file(window, results_csv(pupils(world, first=10)))
    first.refresh_from_db()
    assert first.status == UploadStatus.EXPIRED
    assert second.status == UploadStatus.READY
    assert list(on_disk(media)) == [staged_name(second)]


def test_files_nothing_refers_to_go_after_a_day(media, world):
    """A check done twice (its worker lost) leaves its first staged rows behind; a request
    that failed after storing its file leaves the file. Other media stay."""
    default_storage.save("assessments/2026/01/left.csv", ContentFile(results_csv(pupils(world))))
    default_storage.save("visits/2026/01/photo.jpg", ContentFile(b"not an upload"))
    tasks.expire_uploads()
    assert len(on_disk(media)) == 2
    with later(hours=25):
        tasks.expire_uploads()
    assert list(on_disk(media)) == ["visits/2026/01/photo.jpg"]


def test_the_sweep_runs_hourly_under_beat():
    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["expire-uploads"]
    assert entry["task"] == tasks.expire_uploads.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 60 * 60


def test_the_admin_shows_an_upload_whose_files_are_gone(media, client, world, window, send_file):
    client.force_login(world.hub_lead)
    upload = send_file(window, results_csv(pupils(world)))
    with later(hours=25):
        tasks.expire_uploads()
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    page = client.get(reverse("admin:evaluation_assessmentupload_change", args=[upload.pk]))
    assert page.status_code == 200
    assert "Expired: upload it again" in page.content.decode()
