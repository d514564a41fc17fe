from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evaluation.models import AssessmentUpload, Result, UploadStatus

from .files import import_file, pupil_row, results_csv


def _run(tmp_path, world, content: bytes, *extra):
    return import_file(tmp_path, world, content, *extra, name="results.csv")


def test_it_imports_and_prints_what_changed(tmp_path, world, window):
    content = results_csv([pupil_row(n, world.school_a.urn) for n in range(4)])
    out, _ = _run(tmp_path, world, content)
    assert (
        f"{world.school_a.urn}           4    4        0          0  {world.school_a.name}" in out
    )
    assert out.splitlines()[-1] == "Imported: created 4, updated 0, unchanged 0, new pupils 4."
    assert Result.objects.count() == 4
    out, _ = _run(tmp_path, world, content)
    assert out.splitlines()[-1] == "Imported: created 0, updated 0, unchanged 4, new pupils 0."


def test_a_dry_run_writes_nothing(tmp_path, world, window):
    out, _ = _run(tmp_path, world, results_csv([pupil_row(1, world.school_a.urn)]), "--dry-run")
    assert "Dry run: nothing imported" in out
    assert Result.objects.count() == 0
    assert AssessmentUpload.objects.get().status == UploadStatus.READY


def test_it_fails_listing_every_problem(tmp_path, world, window):
    rows = [pupil_row(1, world.school_a.urn), pupil_row(2, 999999, **{"Scaled Score": "5"})]
    path = tmp_path / "results.csv"
    path.write_bytes(results_csv(rows))
    err = StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported: 2 problem\(s\)"):
        call_command(
            "import_assessments",
            str(path),
            "--programme",
            world.programme.slug,
            "--window",
            "baseline",
            stderr=err,
        )
    assert err.getvalue().splitlines() == [
        "3,URN,999999,is not a school in this programme",
        '3,Scaled Score,5,"is outside this assessment\'s scale, 80 to 120"',
    ]
    assert Result.objects.count() == 0


def test_it_names_an_unknown_window(tmp_path, world, window):
    with pytest.raises(CommandError, match="No window 'end' in programme"):
        call_command(
            "import_assessments", "x.csv", "--programme", world.programme.slug, "--window", "end"
        )
