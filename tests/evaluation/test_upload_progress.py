"""A check reports how far through the file it is as it goes: after its first chunk, then
at most every PROGRESS_EVERY seconds, and 100 once the preview is ready."""

import pytest

from evaluation import services
from evaluation.models import AssessmentUpload

from .files import pupil_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(monkeypatch):
    """Each progress the check reports, as it reports it."""
    reported = []

    def recording(upload, percent):
        reported.append(percent)
        report(upload, percent)

    report = services.report_progress
    monkeypatch.setattr(services, "report_progress", recording)
    monkeypatch.setattr("evaluation.validation.CHUNK", 2)
    return reported


def _checked(world, window, previewed) -> AssessmentUpload:
    # Four chunks of two rows.
    return previewed(window, [pupil_row(n, world.school_a.urn) for n in range(7)])


def test_each_chunk_reports_when_reports_may_come_that_often(
    world, window, previewed, reports, monkeypatch
):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 0)
    upload = _checked(world, window, previewed)
    assert len(reports) == 4
    assert reports == sorted(reports)
    assert reports[-1] == 90
    assert upload.progress == 100


def test_a_fast_check_reports_once_then_is_ready(world, window, previewed, reports, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 3600)
    upload = _checked(world, window, previewed)
    assert len(reports) == 1  # the first chunk's (a small file is read whole at once)
    assert upload.progress == 100
