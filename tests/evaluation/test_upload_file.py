import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from evaluation.upload_file import Misaligned, UnreadableFile, read_rows

from .files import HEADER, pupil_row, results_csv, results_xlsx


def _rows(content: bytes) -> list[list[str]]:
    return list(read_rows(io.BytesIO(content)))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_it_reads_csv_in_each_encoding_schools_send(encoding):
    rows = _rows(results_csv([pupil_row(1, 100001)], encoding))
    assert rows[0] == HEADER
    assert rows[1][1:3] == ["Zoë1", "O’Connor"]


def test_it_reads_semicolon_separated_csv():
    rows = _rows(results_csv([pupil_row(1, 100001)], delimiter=";"))
    assert rows[1][4] == "100001"


def test_it_reads_the_first_sheet_of_a_workbook():
    rows = _rows(results_xlsx([pupil_row(1, 100001, **{"Scaled Score": "104"})]))
    assert rows[0] == HEADER
    assert rows[1][4] == "100001"  # a number in Excel, read back as the URN's text
    assert rows[1][10] == "104"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style Excel file (.xls)"),
        (b"%PDF-1.7\n" + b"x" * 100, "This is a PDF"),
        (b"UPN,URN\n\x00\x01\x02", "This is not a text file"),
        (b"PK\x03\x04not really a zip", "This file is damaged"),
    ],
)
def test_it_says_what_is_wrong_with_a_file_it_cannot_read(content, message):
    with pytest.raises(UnreadableFile, match=re.escape(message)):
        _rows(content)


def test_it_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(UnreadableFile, match="not an Excel workbook"):
        _rows(buffer.getvalue())


def test_it_refuses_a_workbook_that_would_unpack_to_too_much(settings):
    settings.XLSX_MAX_UNPACKED_BYTES = 10_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 1_000_000)  # a tiny, very full file
    assert len(buffer.getvalue()) < 10_000
    with pytest.raises(UnreadableFile, match="unpacks to far more"):
        _rows(buffer.getvalue())


def test_it_refuses_xml_entity_bombs_in_a_workbook():
    content = results_xlsx([pupil_row(1, 100001)])
    source, target = io.BytesIO(content), io.BytesIO()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = bomb if item.filename == "xl/worksheets/sheet1.xml" else old.read(item)
            new.writestr(item, data)
    with pytest.raises(UnreadableFile, match="defines entities that expand"):
        _rows(target.getvalue())


def test_it_gives_a_csv_row_that_does_not_line_up_with_the_header_without_its_values():
    content = (
        b"UPN,Surname,DOB\r\n"
        b"A1,O'Brien, Jr,2016-11-23\r\n"  # an unquoted comma: every later value moves along
        b"A2,Smith\r\n"
        b"\r\n"  # blank lines and rows of empty fields hold nothing that could be misplaced
        b",\r\n"
        b"A3,Patel,2016-10-01\r\n"
    )
    rows = _rows(content)
    assert rows == [
        ["UPN", "Surname", "DOB"],
        Misaligned(4, 3, ","),
        Misaligned(2, 3, ","),
        [],
        ["", ""],
        ["A3", "Patel", "2016-10-01"],
    ]
    assert rows[1].reason == "has 4 fields, the header has 3: a value with an unquoted comma?"
    assert (
        rows[2].reason == "has 2 fields, the header has 3: a missing value, or a stray quote mark?"
    )


def test_it_names_the_separator_the_file_uses():
    shifted = pupil_row(10, 100001, Surname="O'Brien; Jr")
    content = results_csv([pupil_row(n, 100001) for n in range(10)], delimiter=";")
    *_, last = _rows(content + ";".join(shifted[column] for column in HEADER).encode())
    assert last == Misaligned(13, 12, ";")
    assert last.reason == "has 13 fields, the header has 12: a value with an unquoted semicolon?"


def test_a_workbooks_cells_beyond_the_header_are_read_as_cells_not_as_misaligned():
    """A workbook cannot shift a value into the next column: cells to the right of the header
    come as more cells, in no column the portal reads."""
    book = load_workbook(io.BytesIO(results_xlsx([pupil_row(1, 100001)])))
    book.active["M2"] = "2016-11-23"
    content = io.BytesIO()
    book.save(content)
    header, row = _rows(content.getvalue())
    assert (header, row[12:]) == (HEADER, ["2016-11-23"])
