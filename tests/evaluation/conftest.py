from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import AssessmentUpload, AssessmentWindow
from programmes.models import ComparisonSchool
from tests.factories import EnrolmentFactory, SchoolFactory


@pytest.fixture
def window(world):
    return AssessmentWindow.objects.create(
        programme=world.programme,
        slug="baseline",
        name="Baseline",
        kind="baseline",
        date=date(2025, 9, 22),
    )


@pytest.fixture
def school_c(world):
    """A second enrolled school, and (below) a comparison school."""
    return EnrolmentFactory(cohort=world.cohort, school__urn=100003).school


@pytest.fixture
def comparison(world):
    school = SchoolFactory(urn=100009)
    ComparisonSchool.objects.create(programme=world.programme, school=school)
    return school


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
