import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import AssessmentUpload


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
def act(client, django_capture_on_commit_callbacks):
    """Press Confirm or Roll back on an upload's page."""

    def press(upload, action: str):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse(f"evaluation:upload_{action}", args=[upload.pk]))
        upload.refresh_from_db()
        return client.get(response["Location"]).content.decode()

    return press
