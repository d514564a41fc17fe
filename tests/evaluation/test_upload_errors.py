"""What an invalid upload shows back: its stored errors, its page, its errors.csv download and
the import command's output. None of them may carry a value from a column the portal does not
read, and every download's cells are neutralised against formulas."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import UploadStatus

from ..downloads import csv_rows
from .files import HEADER, pupil_row, results_csv, results_xlsx

DOB = "2016-11-23"
SURNAME = "O'Brien, Jr"
MISALIGNED = "has 13 fields, the header has 12: a value with an unquoted comma?"


def _unquoted_csv(rows: list[dict]) -> bytes:
    """A CSV as a hand-made export writes it: fields joined with commas, none quoted."""
    lines = [",".join(HEADER), *(",".join(row[column] for column in HEADER) for row in rows)]
    return "\r\n".join(lines).encode()


def _errors_csv(client, upload, query="") -> list[list[str]]:
    response = client.get(reverse("evaluation:upload_errors", args=[upload.pk]) + query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(StringIO(response.content.decode("utf-8-sig"))))


def _command_output(tmp_path, world, content: bytes) -> str:
    path = tmp_path / "results.csv"
    path.write_bytes(content)
    out, err = StringIO(), StringIO()
    args = [str(path), "--programme", world.programme.slug, "--window", "baseline"]
    with pytest.raises(CommandError) as failed:
        call_command("import_assessments", *args, stdout=out, stderr=err)
    return "\n".join([out.getvalue(), err.getvalue(), str(failed.value)])


def test_a_row_with_an_unquoted_comma_is_reported_without_any_of_its_values(
    client, world, window, send_file, tmp_path
):
    urn = world.school_a.urn
    shifted = pupil_row(2, urn, Surname=SURNAME, DOB=DOB, **{"Scaled Score": "108.9"})
    content = _unquoted_csv([pupil_row(1, urn), shifted, pupil_row(3, urn)])
    client.force_login(world.hub_lead)
    upload = send_file(window, content)

    assert upload.status == UploadStatus.INVALID
    assert upload.errors == [{"row": 3, "column": "", "value": "", "reason": MISALIGNED}]
    assert upload.rows == 3
    assert csv_rows(client, upload.get_absolute_url(), "upload-problems") == [
        ["Row", "Column", "Value", "Problem"],
        ["3", "", "", MISALIGNED.capitalize()],
    ]
    download = _errors_csv(client, upload)
    assert download == [["Row", "Column", "Value", "Problem"], ["3", "", "", MISALIGNED]]
    report = bytes(upload.error_report).decode()
    output = _command_output(tmp_path, world, content)
    assert MISALIGNED in output
    # Neither the pupil's own values nor those the comma pushed along into the columns the
    # portal reads: "Jr" as the DOB, the DOB as the URN... the score as the standard.
    for shown in (report, output):
        for value in (DOB, "O'Brien", "Jr", "108.9"):
            assert value not in shown


def test_a_workbook_keeps_cells_beyond_the_header_out_of_everything(
    client, world, window, send_file
):
    """A workbook's rows are cells, so nothing shifts: a cell with no header (here a date of
    birth typed to the right of the table) is in no column the portal reads, and is ignored
    as a named column that it does not read would be."""
    book = load_workbook(io.BytesIO(results_xlsx([pupil_row(1, world.school_a.urn)])))
    book.active["F2"] = "Year 20"
    book.active["M2"] = DOB  # column M: the header ends at L
    content = io.BytesIO()
    book.save(content)
    client.force_login(world.hub_lead)
    upload = send_file(window, content.getvalue(), name="results.xlsx")
    assert upload.status == UploadStatus.INVALID
    assert [error["column"] for error in upload.errors] == ["Year Group"]
    assert DOB not in bytes(upload.error_report).decode()
    assert DOB not in str(_errors_csv(client, upload))


@pytest.mark.parametrize("column", ["URN", "Scaled Score"])
def test_the_errors_download_neutralises_formulas(client, world, window, send_file, column):
    formula = '=HYPERLINK("http://x")'
    rows = [pupil_row(1, world.school_a.urn, **{column: formula})]
    client.force_login(world.hub_lead)
    upload = send_file(window, results_csv(rows))
    assert upload.errors[0]["value"] == formula  # stored as the file has it
    (_, problem) = _errors_csv(client, upload)
    assert problem[:3] == ["2", column, "'" + formula]
    response = client.get(reverse("evaluation:upload_errors", args=[upload.pk]) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    _, cells = sheet.iter_rows(values_only=True)
    assert cells[:3] == (2, column, "'" + formula)  # the row number stays a number
