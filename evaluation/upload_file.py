"""Reading an uploaded results file as a stream of rows, whatever its form: CSV in UTF-8
(with or without a byte-order mark) or Windows-1252, the first sheet of an XLSX workbook, or
a Common Transfer File (CTF), read as the template's rows. The kind of file is judged by its
content, never by its name."""

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from .upload_csv import CsvRows
from .upload_ctf import CtfMapping, CtfTally, check_ctf, ctf_rows
from .upload_limits import UnreadableFile
from .upload_xlsx import xlsx_rows

CHUNK = 1024 * 1024
# Bytes below space other than tab, line feed, form feed and carriage return: a text file
# has next to none, a binary one (an image, an archive) is full of them.
CONTROL = bytes(set(range(32)) - {9, 10, 12, 13})
BINARY_SHARE = 0.01

__all__ = ["Misaligned", "UnreadableFile", "kind_of", "read_rows"]


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
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(
            'This file is saved as UTF-16 (Excel\'s "Unicode Text"). Save it as "CSV UTF-8" '
            "and upload it again."
        )
    if head.startswith(b"%PDF"):
        raise UnreadableFile("This is a PDF. Upload the spreadsheet itself, as CSV or XLSX.")
    if head.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"<"):
        # No CSV of results starts with "<": an XML file, which must be a CTF.
        check_ctf(stream)
        return "ctf"
    return "csv"


def _encoding(stream: BinaryIO) -> str:
    """UTF-8 if the whole file decodes as UTF-8, else Windows-1252 (what Excel on Windows
    writes). Read in chunks, so a large file never sits whole in memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    first, offset = True, 0
    try:
        while chunk := stream.read(CHUNK):
            if first and len(chunk.translate(None, CONTROL)) < len(chunk) * (1 - BINARY_SHARE):
                raise UnreadableFile("This is not a text file. Upload a CSV or XLSX file.")
            if (nul := chunk.find(b"\x00")) >= 0:
                raise UnreadableFile(
                    f"This file holds a NUL character (byte {offset + nul + 1:,}), which no "
                    "CSV file has: save it again as CSV, or upload the XLSX file."
                )
            decoder.decode(chunk)
            first, offset = False, offset + len(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    stream.seek(0)
    return encoding


def _csv_rows(stream: BinaryIO) -> Iterator[list[str] | Misaligned]:
    text = io.TextIOWrapper(stream, encoding=_encoding(stream), errors="replace", newline="")
    try:
        dialect = csv.Sniffer().sniff(text.read(64 * 1024), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    text.seek(0)
    rows = iter(CsvRows(text, dialect))
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


def read_rows(
    stream: BinaryIO, *, ctf: CtfMapping | None = None, tally: CtfTally | None = None
) -> Iterator[list[str] | Misaligned]:
    """Every row of the file as a list of strings, the header first, or for a CSV row whose
    fields do not line up with the header's, a Misaligned without its values. (A workbook's
    cells are where they are: nothing in one can shift, and cells to the right of the header
    belong to no column, so they are ignored as unread columns are.)

    A CTF's results go to the window as `ctf` maps them; without it, as its upload's mapping
    does (the stream is then the upload's stored file). `tally` counts what went where."""
    kind = kind_of(stream)
    if kind == "ctf":
        mapping = ctf or CtfMapping.of_upload(getattr(stream, "instance", None))
        return ctf_rows(stream, mapping, CtfTally() if tally is None else tally)
    return xlsx_rows(stream) if kind == "xlsx" else _csv_rows(stream)
