"""The benchmark's CTF (bench/ctf_file.py) holds the same pupils as its results file: imported
each into a programme of its own, they give the same pupil years and results."""

from datetime import date

from django.core.files.base import ContentFile

from bench.ctf_file import MAPPING, write_ctf_file
from bench.results_file import write_results_file
from evaluation import services
from evaluation.models import AssessmentWindow, PupilYear, Result, UploadStatus
from tests.factories import EnrolmentFactory

PUPILS = 40


def _imported(world, window, path, ctf=None) -> None:
    upload = services.upload_store(
        uploaded_by=None, window=window, school=None,
        file=ContentFile(path.read_bytes(), path.name), ctf=ctf,
    )  # fmt: skip
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    services.upload_import_now(upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.IMPORTED, upload.errors
    assert upload.created == PUPILS


def _imported_as(window) -> list[tuple]:
    years = PupilYear.objects.filter(programme=window.programme_id)
    details = {y.pupil_id: (y.year_group, y.disadvantaged, y.send, y.eal, y.gender) for y in years}
    return sorted((*details[r.pupil_id], r.score) for r in Result.objects.filter(window=window))


def test_the_bench_ctf_imports_as_its_results_file_does(world, window, tmp_path):
    school = (world.school_a.urn, 316)
    write_results_file(tmp_path / "r.csv", schools=[school], rows=PUPILS)
    write_ctf_file(tmp_path / "r.xml", school=school, rows=PUPILS)
    other = EnrolmentFactory(school=world.school_a).programme
    ctf_window = AssessmentWindow.objects.create(
        programme=other, slug="baseline", name="Baseline", kind="baseline", date=date(2025, 9, 22)
    )
    _imported(world, window, tmp_path / "r.csv")
    _imported(world, ctf_window, tmp_path / "r.xml", ctf=MAPPING)
    from_csv = _imported_as(window)
    assert len(from_csv) == PUPILS
    assert {row[1] for row in from_csv} == {True, False}  # both kinds of pupil are there
    assert _imported_as(ctf_window) == from_csv
