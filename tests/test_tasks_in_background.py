"""With no broker (the embedded default), a task runs on a thread after the request that
queued it: the upload's page answers at once, and shows the check under way."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation import services
from evaluation.models import AssessmentUpload, UploadStatus
from mathsprog.queueing import in_background

from .evaluation.files import pupil_row, results_csv


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_upload_page_answers_before_the_check_has_run(
    client, world, window, settings, monkeypatch
):
    settings.TASKS_IN_BACKGROUND = True
    answered = threading.Event()
    check = services.upload_validate

    def check_once_answered(*, upload):
        assert answered.wait(timeout=10), "the request waited for the check"
        check(upload=upload)

    monkeypatch.setattr(services, "upload_validate", check_once_answered)
    client.force_login(world.hub_lead)
    content = results_csv([pupil_row(1, world.school_a.urn)])
    response = client.post(
        reverse("evaluation:upload_new"),
        {"window": window.pk, "file": SimpleUploadedFile("results.csv", content)},
        follow=True,
    )
    answered.set()
    page = response.content.decode()
    assert "File received: it is being checked." in page
    assert 'hx-trigger="every 1s"' in page  # the page asks again until the check is done
    in_background.wait()
    upload = AssessmentUpload.objects.get()
    assert upload.status == UploadStatus.READY
    page = client.get(upload.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "The file is correct." in page


def test_a_task_that_fails_in_the_background_stops_no_other(settings, monkeypatch):
    ran = []

    class Task:
        def __init__(self, name, fails):
            self.name, self.fails = name, fails

        def apply(self, args, throw):
            ran.append(self.name)
            if self.fails:
                raise RuntimeError("broken")

    in_background.put(Task("first", fails=True), ())
    in_background.put(Task("second", fails=False), ())
    in_background.wait()
    assert ran == ["first", "second"]
