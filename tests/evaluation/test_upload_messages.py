"""What an upload's page says after each step agrees with the message above it, whether the
step ran in the request (no broker, the embedded default) or waits for a worker; and the
template's example row names a school the uploader may upload for."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import AssessmentUpload, UploadStatus
from evaluation.upload_file import read_rows

from ..factories import SchoolFactory
from .files import pupil_row, results_csv

BEING_CHECKED = "File received: it is being checked."
CHECKED = "File received and checked."
IMPORTING = "Importing: this page shows progress."


def _send(client, window, content: bytes, **extra):
    response = client.post(
        reverse("evaluation:upload_new"),
        {"window": window.pk, "file": SimpleUploadedFile("results.csv", content), **extra},
        follow=True,
    )
    assert response.status_code == 200
    return AssessmentUpload.objects.latest("pk"), response.content.decode()


# Committed for real, so that the step queued on commit runs in the request, as it does with
# no broker; `databases` for the connection that reports progress.
in_process = pytest.mark.django_db(transaction=True, databases="__all__")


@in_process
def test_a_file_checked_in_the_request_is_not_said_to_be_checked_still(client, world, window):
    client.force_login(world.hub_lead)
    bad = results_csv([pupil_row(1, world.school_a.urn, **{"Scaled Score": "1000"})])
    upload, page = _send(client, window, bad)
    assert upload.status == UploadStatus.INVALID
    assert "Nothing has been saved" in page
    assert BEING_CHECKED not in page
    assert CHECKED in page


@in_process
def test_an_import_done_in_the_request_is_not_said_to_be_under_way(client, world, window):
    client.force_login(world.hub_lead)
    upload, page = _send(client, window, results_csv([pupil_row(1, world.school_a.urn)]))
    assert upload.status == UploadStatus.READY
    assert "The file is correct." in page
    assert BEING_CHECKED not in page
    response = client.post(reverse("evaluation:upload_confirm", args=[upload.pk]), follow=True)
    page = response.content.decode()
    assert "Imported" in page
    assert IMPORTING not in page


def test_a_file_waiting_for_a_worker_is_said_to_be_checked(client, world, window):
    # Inside the test's transaction nothing queued on commit runs: a worker has yet to start.
    client.force_login(world.hub_lead)
    upload, page = _send(client, window, results_csv([pupil_row(1, world.school_a.urn)]))
    assert upload.status == UploadStatus.QUEUED
    assert BEING_CHECKED in page
    assert "<progress" in page


def test_an_import_waiting_for_a_worker_says_it_is_under_way(client, world, window, send_file):
    client.force_login(world.hub_lead)
    upload = send_file(window, results_csv([pupil_row(1, world.school_a.urn)]))
    response = client.post(reverse("evaluation:upload_confirm", args=[upload.pk]), follow=True)
    page = response.content.decode()
    assert IMPORTING in page
    assert "<progress" in page
    assert "Imported" not in page


def _template_rows(client) -> tuple[list[str], list[str]]:
    csv_text = client.get(reverse("evaluation:template_csv")).content.decode("utf-8-sig")
    xlsx = client.get(reverse("evaluation:template_xlsx")).content
    return csv_text.splitlines()[1].split(","), list(read_rows(io.BytesIO(xlsx)))[1]


def test_a_school_leaders_template_names_their_school(client, world, window, send_file):
    client.force_login(world.head_a)
    csv_row, xlsx_row = _template_rows(client)
    assert csv_row[1] == str(world.school_a.urn)
    assert str(xlsx_row[1]).removesuffix(".0") == str(world.school_a.urn)
    # The template as it comes is a file the upload accepts.
    template = client.get(reverse("evaluation:template_csv")).content
    upload = send_file(window, template, name="template.csv", school=world.school_a.pk)
    assert (upload.status, upload.rows) == (UploadStatus.READY, 1)


def test_a_hub_leads_template_names_the_first_school_of_their_programmes(
    client, world, window, school_c, comparison, django_assert_max_num_queries
):
    SchoolFactory(name="Aaa Primary School")  # first of all by name, but in no programme
    first = min([world.school_a, school_c, comparison], key=lambda school: school.name)
    client.force_login(world.hub_lead)
    with django_assert_max_num_queries(10):  # two downloads
        csv_row, _ = _template_rows(client)
    assert csv_row[1] == str(first.urn)


def test_someone_with_no_school_gets_a_made_up_urn(client, world):
    client.force_login(world.outsider)
    csv_row, _ = _template_rows(client)
    assert csv_row[1] == "100000"
