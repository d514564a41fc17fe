"""Reading an uploaded results file as a stream of rows, whatever its form: CSV in UTF-8
(with or without a byte-order mark) or Windows-1252, or the first sheet of an XLSX workbook.
The kind of file is judged by its content, never by its name."""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from defusedxml import DefusedXmlException
from django.conf import settings
from openpyxl import load_workbook

CHUNK = 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be read at all; the message says why, for the person who sent it."""


SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}


class Misaligned(NamedTuple):
    """A CSV row with more or fewer fields than the header, given in place of its values: a
    name with an unquoted comma pushes every later value into the next column (the date of
    birth becomes the URN), so none of its values can be trusted, checked or shown."""

    fields: int
    header: int
    separator: str

    @property
    def reason(self) -> str:
        counts = f"has {self.fields} fields, the header has {self.header}"
        if self.fields > self.header:
            return f"{counts}: a value with an unquoted {SEPARATORS[self.separator]}?"
        return f"{counts}: a missing value, or a stray quote mark?"


def kind_of(stream: BinaryIO) -> str:
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "This is an old-style Excel file (.xls). Save it as .xlsx or CSV and upload it again."
        )
    if head.startswith(b"%PDF"):
        raise UnreadableFile("This is a PDF. Upload the spreadsheet itself, as CSV or XLSX.")
    return "csv"


def _encoding(stream: BinaryIO) -> str:
    """UTF-8 if the whole file decodes as UTF-8, else Windows-1252 (what Excel on Windows
    writes). Read in chunks, so a large file never sits whole in memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(CHUNK):
            if b"\x00" in chunk:
                raise UnreadableFile("This is not a text file. Upload a CSV or XLSX file.")
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    stream.seek(0)
    return encoding


def _csv_rows(stream: BinaryIO) -> Iterator[list[str]]:
    text = io.TextIOWrapper(stream, encoding=_encoding(stream), errors="replace", newline="")
    try:
        dialect = csv.Sniffer().sniff(text.read(64 * 1024), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    text.seek(0)
    rows = csv.reader(text, dialect)
    header = next(rows, None)
    if header is None:
        return
    yield header
    for row in rows:
        # A blank line or a row of empty fields holds nothing to misplace; it is skipped.
        if len(row) != len(header) and any(field.strip() for field in row):
            yield Misaligned(len(row), len(header), dialect.delimiter)
        else:
            yield row


def _check_zip(stream: BinaryIO) -> None:
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile as error:
        raise UnreadableFile("This file is damaged: it is not a readable XLSX workbook.") from error
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise UnreadableFile("This ZIP file is not an Excel workbook. Upload a CSV or XLSX file.")
    unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > settings.XLSX_MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            "This workbook unpacks to far more than its size suggests, so it is not read. "
            "Save it as CSV and upload that instead."
        )
    stream.seek(0)


def _xlsx_rows(stream: BinaryIO) -> Iterator[list[str]]:
    _check_zip(stream)
    # read_only streams the sheet; openpyxl parses through defusedxml when it is installed,
    # which it is (see pyproject), so entity-expansion attacks are refused, here as anywhere
    # else the workbook's XML is broken.
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        try:
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                yield ["" if value is None else _cell_text(value) for value in values]
        finally:
            workbook.close()
    except (OSError, ValueError, KeyError, IndexError, SyntaxError, DefusedXmlException) as error:
        raise UnreadableFile(
            "This workbook could not be read. Open it in Excel, save it again as .xlsx or CSV, "
            "and upload that."
        ) from error


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(stream: BinaryIO) -> Iterator[list[str] | Misaligned]:
    """Every row of the file as a list of strings, the header first, or for a CSV row whose
    fields do not line up with the header's, a Misaligned without its values. (A workbook's
    cells are where they are: nothing in one can shift, and cells to the right of the header
    belong to no column, so they are ignored as unread columns are.)"""
    return _xlsx_rows(stream) if kind_of(stream) == "xlsx" else _csv_rows(stream)
