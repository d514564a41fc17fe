"""Checked once: a confirmation merges the rows staged at the preview, reading no file and
running no row check, unless the window or the programme changed meanwhile; then the staged
rows are checked again against the window as it is now, or refused when they cannot be."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from evaluation import services, staging, upload_file, validation
from evaluation.models import AssessmentUpload, AssessmentWindow, Pupil, Result, UploadStatus
from evaluation.upload_recheck import LEFT, MOVED, REDATED
from tests.factories import ProgrammeFactory

from .ctf_files import CtfPupil, ctf
from .files import pupil_row, results_csv

KS2 = {"key_stage": "KS2", "year": "", "method": "", "component": ""}


def _checked(world, window, content: bytes, name="results.csv", ctf=None) -> AssessmentUpload:
    upload = services.upload_store(
        uploaded_by=world.hub_lead, window=window, school=None,
        file=ContentFile(content, name), ctf=ctf,
    )  # fmt: skip
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY, upload.errors
    return upload


def _confirmed(world, upload: AssessmentUpload) -> AssessmentUpload:
    services.upload_import_now(upload=AssessmentUpload.objects.get(pk=upload.pk), user=None)
    upload.refresh_from_db()
    return upload


def _scores(world, scores: list[int]) -> bytes:
    rows = [pupil_row(n, world.school_a.urn) for n in range(len(scores))]
    for row, score in zip(rows, scores, strict=True):
        row["Scaled Score"] = str(score)
    return results_csv(rows)


def _nothing_written(upload: AssessmentUpload) -> None:
    assert upload.status == UploadStatus.INVALID
    assert not Result.objects.exists()
    assert not Pupil.objects.exists()
    assert not upload.staged  # to be uploaded again: the staged rows are of no more use


def test_the_preview_records_what_its_check_depended_on(world, window):
    upload = _checked(world, window, _scores(world, [95, 104]))
    assert upload.summary["checked_against"] == {
        "programme_id": world.programme.pk,
        "scale_min": "80.0",  # as the database keeps it, whatever the window was given
        "scale_max": "120.0",
        "teacher_assessment": window.teacher_assessment,
        "date": "2025-09-22",
        "academic_year": 2025,
        "score_column": "Scaled Score",
    }


def test_confirming_reads_no_file_and_runs_no_row_check(world, window, monkeypatch):
    upload = _checked(world, window, _scores(world, [95, 104, 110]))
    assert not upload.file  # the original was deleted at the check

    def never(*args, **kwargs):
        raise AssertionError("the confirmation read a file or checked a row")

    monkeypatch.setattr(upload_file, "read_rows", never)
    monkeypatch.setattr(services, "read_rows", never)
    monkeypatch.setattr(validation.ResultsValidator, "__init__", never)
    monkeypatch.setattr(validation.ResultsValidator, "clean_chunks", never)
    upload = _confirmed(world, upload)
    assert upload.status == UploadStatus.IMPORTED
    assert sorted(Result.objects.values_list("score", flat=True)) == [95, 104, 110]


def test_a_narrower_scale_is_checked_again_naming_row_and_column(world, window):
    upload = _checked(world, window, _scores(world, [95, 104, 118, 84]))
    AssessmentWindow.objects.filter(pk=window.pk).update(scale_min=85, scale_max=115)
    upload = _confirmed(world, upload)
    _nothing_written(upload)
    reason = "is outside this assessment's scale, 85 to 115"
    # Rows as a spreadsheet numbers them: the header is row 1.
    assert upload.error_count == 2
    assert [(e["row"], e["column"], e["value"], e["reason"]) for e in upload.errors] == [
        (4, "Scaled Score", "118", reason),
        (5, "Scaled Score", "84", reason),
    ]


def test_a_changed_scale_that_the_rows_still_fit_imports(world, window):
    upload = _checked(world, window, _scores(world, [95, 104]))
    AssessmentWindow.objects.filter(pk=window.pk).update(scale_min=90, scale_max=110)
    assert _confirmed(world, upload).status == UploadStatus.IMPORTED
    assert Result.objects.count() == 2


def test_a_window_moved_to_another_programme_is_refused(world, window):
    upload = _checked(world, window, _scores(world, [95]))
    AssessmentWindow.objects.filter(pk=window.pk).update(programme=ProgrammeFactory())
    upload = _confirmed(world, upload)
    _nothing_written(upload)
    assert [e["reason"] for e in upload.errors] == [MOVED]


def _class(world) -> bytes:
    return ctf([CtfPupil(1, fsm=[("2020-01-01", "2020-07-31")]), CtfPupil(2)], world.school_a.urn)


def test_a_ctf_whose_window_changed_date_is_refused(world, window):
    """Its disadvantage (ever 6) and SEN provision were judged on the window's date: the
    staged rows cannot say what they would be on another."""
    upload = _checked(world, window, _class(world), name="pupils.xml", ctf=KS2)
    AssessmentWindow.objects.filter(pk=window.pk).update(date=date(2025, 10, 6))
    upload = _confirmed(world, upload)
    _nothing_written(upload)
    assert [e["reason"] for e in upload.errors] == [REDATED]


def test_a_ctf_checked_again_for_its_scale_names_the_scaled_score(world, window):
    upload = _checked(world, window, _class(world), name="pupils.xml", ctf=KS2)
    AssessmentWindow.objects.filter(pk=window.pk).update(
        scale_max=100, expected_threshold=95, higher_threshold=100
    )
    upload = _confirmed(world, upload)
    _nothing_written(upload)
    assert {(e["column"], e["value"]) for e in upload.errors} == {("Scaled score", "104")}


def test_a_csv_whose_window_changed_date_imports_into_the_new_year(world, window):
    """Nothing of a CSV's rows rests on the date: they go to the window's year as it is now."""
    upload = _checked(world, window, _scores(world, [95]))
    AssessmentWindow.objects.filter(pk=window.pk).update(date=date(2026, 9, 21))
    assert _confirmed(world, upload).status == UploadStatus.IMPORTED
    assert list(world.programme.pupils.values_list("years__academic_year", flat=True)) == [2026]


@pytest.mark.parametrize("field", ["name", "teacher_assessment"])
def test_what_the_check_did_not_depend_on_changes_nothing(world, window, field, monkeypatch):
    upload = _checked(world, window, _scores(world, [95]))
    value = "Renamed" if field == "name" else True
    AssessmentWindow.objects.filter(pk=window.pk).update(**{field: value})
    monkeypatch.setattr(validation.ResultsValidator, "__init__", lambda *a, **k: 1 / 0)
    assert _confirmed(world, upload).status == UploadStatus.IMPORTED
    assert Result.objects.get().score == Decimal("95.0")


def test_a_school_that_left_the_programme_is_named(world, window, school_c):
    rows = [pupil_row(0, world.school_a.urn), pupil_row(1, school_c.urn)]
    upload = _checked(world, window, results_csv(rows))
    school_c.enrolments.all().delete()
    upload = _confirmed(world, upload)
    _nothing_written(upload)
    assert [(e["row"], e["column"], e["value"], e["reason"]) for e in upload.errors] == [
        (3, "URN", str(school_c.urn), LEFT)
    ]


def test_with_nothing_changed_the_previews_count_is_kept(world, window, monkeypatch):
    upload = _checked(world, window, _scores(world, [95, 104, 110]))
    previewed = upload.summary["totals"]

    def never(self):
        raise AssertionError("the rows were counted again")

    monkeypatch.setattr(staging.Merge, "summary", never)
    upload = _confirmed(world, upload)
    assert upload.status == UploadStatus.IMPORTED
    assert upload.summary["totals"] == previewed == {
        "rows": 3, "new_pupils": 3, "created": 3, "updated": 0, "unchanged": 0
    }  # fmt: skip
    assert Result.objects.count() == 3


def test_after_another_import_the_rows_are_counted_again(world, window):
    """Both previewed before either was confirmed: the second's preview counted pupils and
    results that the first then made."""
    first = _checked(world, window, _scores(world, [95, 104, 110]))
    second = _checked(world, window, _scores(world, [95, 104, 111, 99]), name="second.csv")
    assert second.summary["totals"]["new_pupils"] == 4
    assert _confirmed(world, first).status == UploadStatus.IMPORTED
    second = _confirmed(world, second)
    assert second.status == UploadStatus.IMPORTED
    assert second.summary["totals"] == {
        "rows": 4, "new_pupils": 1, "created": 1, "updated": 1, "unchanged": 2
    }  # fmt: skip
    assert sorted(Result.objects.values_list("score", flat=True)) == [95, 99, 104, 111]
