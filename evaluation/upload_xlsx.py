"""Reading the first sheet of an XLSX workbook as a stream of rows, in constant memory.

A workbook is a ZIP of XML parts. Its sheet and its table of shared strings (the text of
every text cell, each given once) are parsed as they are unzipped, by expat, so that nothing
in them is held whole: the shared strings are kept as UTF-8 in one buffer, and reading stops
at the first cell, row or table past the limits in settings (see upload_limits). No
spreadsheet program declares XML entities or refers to a DTD elsewhere, so a workbook that
does (an "XML external entity" or a "billion laughs" attack) is refused as it does it."""

import posixpath
import zipfile
from array import array
from collections.abc import Iterator
from typing import BinaryIO
from xml.parsers import expat

from django.conf import settings

from .upload_limits import UnreadableFile, cell_too_long, too_many_columns

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships "
RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
WORKBOOK = "xl/workbook.xml"
PIECE = 64 * 1024
# Excel's own limit: no workbook it writes has more rows.
MAX_ROWS = 1_048_576
DAMAGED = (
    "This workbook could not be read. Open it in Excel, save it again as .xlsx or CSV, and "
    "upload that."
)


OUTSIDE = (
    "This workbook's XML refers to files outside itself (an external entity), which no "
    "spreadsheet program writes, so it is not read. Save it again as .xlsx or CSV."
)


def _refuse_outside_doctype(name, system_id, public_id, has_internal_subset) -> None:
    if system_id or public_id:
        raise UnreadableFile(OUTSIDE)


def _refuse_entity(name, is_parameter, value, base, system_id, public_id, notation) -> None:
    if system_id or public_id:
        raise UnreadableFile(OUTSIDE)
    raise UnreadableFile(
        "This workbook's XML defines entities that expand into more text (an entity bomb), "
        "which no spreadsheet program writes, so it is not read. Save it again as .xlsx or CSV."
    )


def _parser(start, end=None, text=None) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_outside_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _feed(parser: expat.XMLParserType, source: BinaryIO) -> Iterator[None]:
    """Parse `source` a piece at a time, pausing after each piece."""
    try:
        while piece := source.read(PIECE):
            parser.Parse(piece, False)
            yield
        parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, EOFError, OSError) as error:
        raise UnreadableFile(DAMAGED) from error


def _parse(archive: zipfile.ZipFile, name: str, start) -> None:
    with archive.open(name) as source:
        for _ in _feed(_parser(start), source):
            pass


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    """The paths of the first sheet and of the shared strings (None if it has none)."""
    sheets, targets, strings = [], {}, []

    def sheet(name, attributes):
        if name == MAIN + "sheet":
            sheets.append(attributes.get(RELATIONSHIP_ID))

    def relationship(name, attributes):
        if name == RELATIONSHIPS + "Relationship":
            target = attributes.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            targets[attributes.get("Id")] = posixpath.normpath(path)
            if attributes.get("Type", "").endswith("/sharedStrings"):
                strings.append(targets[attributes.get("Id")])

    _parse(archive, WORKBOOK, sheet)
    rels = "xl/_rels/workbook.xml.rels"
    if rels in archive.namelist():
        _parse(archive, rels, relationship)
    names = set(archive.namelist())
    if not sheets or targets.get(sheets[0]) not in names:
        raise UnreadableFile(DAMAGED)
    return targets[sheets[0]], next((path for path in strings if path in names), None)


class SharedStrings:
    """The workbook's table of text, as UTF-8 in one buffer with the offset of each piece:
    a few bytes a string, where a list of Python strings takes some sixty."""

    def __init__(self):
        self.data = bytearray()
        self.offsets = array("Q", [0])

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        return self.data[self.offsets[index] : self.offsets[index + 1]].decode("utf-8")

    def append(self, text: str) -> None:
        self.data += text.encode("utf-8")
        self.offsets.append(len(self.data))


def _too_much_text() -> UnreadableFile:
    return UnreadableFile(
        f"This workbook holds more than {settings.XLSX_MAX_SHARED_STRINGS:,} different pieces "
        f"of text, or more than {settings.XLSX_MAX_SHARED_STRING_BYTES // 2**20:,} MB of text, "
        "far more than a results file does. Save the sheet of results as CSV and upload that."
    )


def read_shared_strings(archive: zipfile.ZipFile, name: str) -> SharedStrings:
    """Each <si> is the text of its <t>s, but not of the phonetic guides (<rPh>) within it."""
    strings = SharedStrings()
    pieces: list[str] = []
    state = {"length": 0, "depth_rph": 0, "in_t": False}
    count, size = settings.XLSX_MAX_SHARED_STRINGS, settings.XLSX_MAX_SHARED_STRING_BYTES
    cell = settings.UPLOAD_MAX_CELL_CHARS

    def start(tag, attributes):
        if tag == MAIN + "t":
            state["in_t"] = True
        elif tag == MAIN + "sst":
            declared = attributes.get("uniqueCount", "")
            if declared.isdecimal() and int(declared) > count:
                raise _too_much_text()  # as it says itself; one that says less is counted
        elif tag == MAIN + "rPh":
            state["depth_rph"] += 1

    def end(tag):
        if tag == MAIN + "t":
            state["in_t"] = False
        elif tag == MAIN + "rPh":
            state["depth_rph"] -= 1
        elif tag == MAIN + "si":
            strings.append("".join(pieces).replace("_x005F_", "_"))
            pieces.clear()
            state["length"] = 0
            if len(strings) > count or len(strings.data) > size:
                raise _too_much_text()

    def text(data):
        if state["in_t"] and not state["depth_rph"]:
            state["length"] += len(data)
            if state["length"] > cell:
                raise UnreadableFile(
                    f"A piece of text in this workbook is longer than {cell:,} characters, "
                    "more than a spreadsheet cell can hold: is this the right file?"
                )
            pieces.append(data)

    with archive.open(name) as source:
        for _ in _feed(_parser(start, end, text), source):
            pass
    return strings


def open_workbook(stream: BinaryIO) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile as error:
        raise UnreadableFile("This file is damaged: it is not a readable XLSX workbook.") from error
    if WORKBOOK not in archive.namelist():
        raise UnreadableFile("This ZIP file is not an Excel workbook. Upload a CSV or XLSX file.")
    unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > settings.XLSX_MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            "This workbook unpacks to far more than its size suggests, so it is not read. "
            "Save it as CSV and upload that instead."
        )
    return archive


def xlsx_rows(stream: BinaryIO) -> Iterator[list[str]]:
    """Every row of the first sheet, as the spreadsheet numbers them (a row the sheet leaves
    out comes as an empty row), each cell as its text; a row ends at its last cell."""
    archive = open_workbook(stream)
    with archive:
        sheet, strings_path = _first_sheet(archive)
        strings = read_shared_strings(archive, strings_path) if strings_path else SharedStrings()
        reader = _SheetReader(strings)
        with archive.open(sheet) as source:
            for _ in _feed(reader.parser, source):
                for number, row in reader.take():
                    yield from ([] for _ in range(reader.yielded + 1, number))
                    reader.yielded = number
                    yield row


def _column(reference: str) -> int:
    """1 for "A7", 28 for "AB7"."""
    number = 0
    for char in reference:
        if not "A" <= char <= "Z":
            break
        number = number * 26 + ord(char) - 64
    return number


class _SheetReader:
    """The rows of a sheet as expat finds them, kept until `take` hands them on."""

    def __init__(self, strings: SharedStrings):
        self.strings = strings
        self.rows: list[tuple[int, list[str]]] = []
        self.yielded = self.row_number = 0
        self.cells: dict[int, str] = {}
        self.column, self.kind = 0, ""
        self.parts: list[str] | None = None  # the cell's text so far, if it has a value
        self.collecting = False
        self.length = 0
        self.in_is, self.in_rph = False, 0
        self.parser = _parser(self.start, self.end, self.characters)
        self.parser.buffer_text = True

    def take(self) -> list[tuple[int, list[str]]]:
        rows, self.rows = self.rows, []
        return rows

    def start(self, tag, attributes):
        if tag == MAIN + "c":
            reference = attributes.get("r")
            self.column = _column(reference) if reference else self.column + 1
            if self.column < 1:
                raise UnreadableFile(DAMAGED)
            self.kind, self.parts, self.length = attributes.get("t", "n"), None, 0
        elif tag == MAIN + "v" or (tag == MAIN + "t" and self.in_is and not self.in_rph):
            self.parts = [] if self.parts is None else self.parts
            self.collecting = True
        elif tag == MAIN + "row":
            reference = attributes.get("r")
            number = int(reference) if reference and reference.isdecimal() else self.row_number + 1
            if not self.row_number < number <= MAX_ROWS:
                raise UnreadableFile(DAMAGED)
            self.row_number, self.cells, self.column = number, {}, 0
        elif tag == MAIN + "is":
            self.in_is = True
        elif tag == MAIN + "rPh":
            self.in_rph += 1

    def characters(self, data):
        if self.collecting:
            self.length += len(data)
            if self.length > settings.UPLOAD_MAX_CELL_CHARS:
                raise cell_too_long(self.row_number, self.column)
            self.parts.append(data)

    def end(self, tag):
        if tag == MAIN + "v" or tag == MAIN + "t":
            self.collecting = False
        elif tag == MAIN + "c":
            self._cell_done()
        elif tag == MAIN + "row":
            self._row_done()
        elif tag == MAIN + "is":
            self.in_is = False
        elif tag == MAIN + "rPh":
            self.in_rph -= 1

    def _cell_done(self) -> None:
        if self.parts is None:
            return  # no value: formatting only, wherever it is
        if self.column > settings.UPLOAD_MAX_COLUMNS:
            raise too_many_columns(self.row_number)
        text = "".join(self.parts)
        self.cells[self.column] = _cell_text(self.kind, text, self.strings)

    def _row_done(self) -> None:
        row = [""] * max(self.cells, default=0)
        for column, text in self.cells.items():
            row[column - 1] = text
        self.rows.append((self.row_number, row))
        self.cells = {}


def _cell_text(kind: str, text: str, strings: SharedStrings) -> str:
    """A cell's value as the text a person sees, whole numbers without ".0"."""
    if kind == "s":
        try:
            return strings[int(text)]
        except (ValueError, IndexError) as error:
            raise UnreadableFile(DAMAGED) from error
    if kind == "b":
        return "True" if text.strip() == "1" else "False"
    if kind != "n":
        return text  # inline text, a formula's text, an error such as #N/A, an ISO date
    try:
        number = float(text) if any(char in text for char in ".Ee") else int(text)
    except ValueError:
        return text
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)
