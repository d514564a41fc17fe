from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation import services
from evaluation.models import AssessmentUpload, ReportSnapshot, UploadStatus
from programmes.models import Programme

from .files import pupil_row, results_csv


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT of this test alone: no other test's uploads are in it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def send_file(client, django_capture_on_commit_callbacks):
    """Upload a file through the page, as the signed-in user, and run what it queues."""

    def send(window, content: bytes, name="results.csv", **extra) -> AssessmentUpload:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("evaluation:upload_new"),
                {"window": window.pk, "file": SimpleUploadedFile(name, content), **extra},
            )
        assert response.status_code == 302, response.content.decode()[:3000]
        return AssessmentUpload.objects.latest("pk")

    return send


@pytest.fixture
def previewed(world):
    """Store a results file of `rows` for a window and check it, as the hub lead, through the
    services: the upload, ready to confirm."""

    def check(window, rows: list[dict]) -> AssessmentUpload:
        upload = services.upload_store(
            uploaded_by=world.hub_lead, window=window, school=None,
            file=ContentFile(results_csv(rows), "results.csv"),
        )  # fmt: skip
        services.upload_validate(upload=upload)
        upload.refresh_from_db()
        assert upload.status == UploadStatus.READY, upload.errors
        return upload

    return check


@pytest.fixture
def act(client, django_capture_on_commit_callbacks):
    """Press Confirm or Roll back on an upload's page."""

    def press(upload, action: str):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse(f"evaluation:upload_{action}", args=[upload.pk]))
        upload.refresh_from_db()
        return client.get(response["Location"]).content.decode()

    return press


@pytest.fixture
def reported(client, world, window, comparison, send_file, act):
    """The programme's report, computed from six pupils at school A and six at its comparison
    school, uploaded by the hub lead (who stays signed in)."""
    client.force_login(world.hub_lead)
    rows = [pupil_row(n, world.school_a.urn) for n in range(6)]
    rows += [pupil_row(20 + n, comparison.urn) for n in range(6)]
    act(send_file(window, results_csv(rows)), "confirm")
    world.programme.refresh_from_db()
    assert world.programme.reports.get().data_version == world.programme.data_version
    return world.programme


@pytest.fixture
def recomputed(django_capture_on_commit_callbacks):
    """`with recomputed(programme) as outcome:` runs what the block queues once it commits
    (Celery runs tasks in-process in tests), then checks that the programme's data version
    went up and that the report of the new version was computed: `outcome.snapshot`."""

    @contextmanager
    def watch(programme):
        before = Programme.objects.get(pk=programme.pk).data_version
        outcome = SimpleNamespace(snapshot=None)
        with django_capture_on_commit_callbacks(execute=True):
            yield outcome
        programme.refresh_from_db()
        assert programme.data_version > before, "the data version did not go up"
        outcome.snapshot = ReportSnapshot.objects.get(
            programme=programme, data_version=programme.data_version
        )

    return watch
