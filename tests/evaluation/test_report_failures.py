"""A report that fails is retried by the worker, then recorded, shown to the programme's hub
leads with a Retry button, and listed for site admins."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.urls import reverse
from django.utils import timezone

from evaluation import engine
from evaluation.models import ReportFailure
from evaluation.tasks import compute_report
from programmes.services import programme_data_version_bump
from tests.factories import ProgrammeFactory
from tests.queries import queries_for


@pytest.fixture
def broken_engine(monkeypatch):
    """The engine raises, as a bug or a lost database would make it; each call counted."""
    calls = []

    def build(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(engine, "build", build)
    return calls


def _dashboard(client, programme) -> str:
    page = client.get(reverse("dashboards:programme", args=[programme.slug])).content.decode()
    return " ".join(page.split())


def test_a_failing_report_is_retried_then_recorded_shown_and_retried_on_demand(
    client, world, reported, broken_engine, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation:report_recompute", args=[reported.slug]))
    assert response.status_code == 302  # the page that queued it is not broken by it
    assert len(broken_engine) == 4  # the first attempt and three retries
    reported.refresh_from_db()
    failure = ReportFailure.objects.get(programme=reported)
    assert (failure.data_version, failure.attempts) == (reported.data_version, 4)
    assert failure.error == "RuntimeError: the engine broke"
    assert timezone.now() - failure.failed_at < timedelta(minutes=1)

    page = _dashboard(client, reported)
    assert "The report could not be brought up to date." in page
    assert "failed 4 times" in page
    assert "Updating" not in page
    retry = reverse("evaluation:report_retry", args=[reported.slug])
    assert f'action="{retry}"' in page
    assert "Retry the report" in page
    assert "RuntimeError" not in page  # the error itself is for site admins

    client.force_login(world.admin)
    listed = client.get(reverse("evaluation:report_failures")).content.decode()
    assert reported.name in listed
    assert "RuntimeError: the engine broke" in listed
    assert f'action="{retry}"' in listed

    monkeypatch.undo()  # the engine is mended
    client.force_login(world.hub_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)
    assert response["Location"] == reverse("dashboards:programme", args=[reported.slug])
    assert not ReportFailure.objects.exists()
    assert reported.reports.get().data_version == reported.data_version
    page = _dashboard(client, reported)
    assert "could not be brought up to date" not in page
    assert "Updating" not in page


def test_a_retry_that_fails_again_is_recorded_again(
    client, world, reported, broken_engine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evaluation:report_recompute", args=[reported.slug]))
    first = ReportFailure.objects.get().failed_at
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evaluation:report_retry", args=[reported.slug]), {"back": "failures"}
        )
    assert response["Location"] == reverse("evaluation:report_failures")
    assert len(broken_engine) == 8
    assert ReportFailure.objects.get().failed_at > first


def test_newer_data_puts_a_failed_report_back_to_updating(
    client, reported, broken_engine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evaluation:report_recompute", args=[reported.slug]))
    assert "could not be brought up to date" in _dashboard(client, reported)
    programme_data_version_bump(programme_id=reported.pk)  # an import landed; its task queued
    page = _dashboard(client, reported)
    assert "could not be brought up to date" not in page
    assert "Updating" in page


def test_on_a_worker_a_failing_report_is_retried_with_backoff_then_recorded(
    reported, broken_engine, monkeypatch
):
    """On a worker (not in-process), each failure asks Celery to run the task again later:
    after 30 s, 60 s and 120 s; the fourth failure is recorded and raised for Celery's log."""
    programme_data_version_bump(programme_id=reported.pk)  # new data, so a report to compute
    asked = []
    monkeypatch.setattr(compute_report, "retry", lambda **options: asked.append(options) or Retry())
    for retries in range(3):
        compute_report.push_request(retries=retries, is_eager=False)
        try:
            with pytest.raises(Retry):
                compute_report.run(reported.pk)
        finally:
            compute_report.pop_request()
    assert [options["countdown"] for options in asked] == [30, 60, 120]
    assert not ReportFailure.objects.exists()
    compute_report.push_request(retries=3, is_eager=False)
    try:
        with pytest.raises(RuntimeError):
            compute_report.run(reported.pk)
    finally:
        compute_report.pop_request()
    assert ReportFailure.objects.get().attempts == 4


def test_a_report_stored_clears_its_failure(reported):
    ReportFailure.objects.create(
        programme=reported,
        data_version=reported.data_version,
        error="x",
        failed_at=timezone.now(),
        attempts=4,
    )
    programme_data_version_bump(programme_id=reported.pk)
    compute_report.delay(reported.pk)
    assert not ReportFailure.objects.exists()


def test_the_failed_reports_page_keeps_to_a_few_queries(
    client, world, django_assert_max_num_queries
):
    def fail(programme):
        ReportFailure.objects.create(
            programme=programme, data_version=1, error="RuntimeError: x", failed_at=timezone.now(),
            attempts=4,
        )  # fmt: skip

    fail(world.programme)
    client.force_login(world.admin)
    url = reverse("evaluation:report_failures")
    one = queries_for(client, url)
    for _ in range(10):
        fail(ProgrammeFactory())
    with django_assert_max_num_queries(one):
        page = client.get(url).content.decode()
    assert page.count("Retry<span") == 11
    with django_assert_max_num_queries(8):
        client.get(url)


def test_site_admins_find_the_failed_reports_in_their_navigation(client, world):
    url = reverse("evaluation:report_failures")
    client.force_login(world.admin)
    assert f'href="{url}"' in client.get(reverse("programmes:list")).content.decode()
    assert "No failed reports" in client.get(url).content.decode()
    client.force_login(world.hub_lead)
    assert f'href="{url}"' not in _dashboard(client, world.programme)
    assert client.get(url).status_code == 404
