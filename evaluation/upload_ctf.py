"""Reading a DfE Common Transfer File (CTF, the XML every English MIS exports) as the rows of
the results template, one a pupil, so that it is checked, previewed and imported exactly as a
CSV is. Only what the template holds is read from each Pupil: a name, a date of birth, an
address or a contact is passed over as the parser meets it, never kept.

The file is read as a stream by expat with no DTD allowed: a DOCTYPE is where external
entities (XXE) and entity expansion ("billion laughs") live, and no CTF has one."""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import BinaryIO
from xml.parsers import expat

from .upload_limits import UnreadableFile

CHUNK = 64 * 1024
OLDEST_VERSION = 17  # CTF 17, in use from 2017
MAX_TEXT = 4096  # characters in one element: more than any CTF value
HEADER = ["UPN", "URN", "NC Year", "Disadvantaged", "SEN provision", "EAL", "Sex",
          "Scaled score", "Teacher assessment"]  # fmt: skip
BLANK = [""] * len(HEADER)
STANDARDS = frozenset({"PKF", "WTS", "EXS", "GDS"})
ENGLISH = frozenset({"ENG", "ENB"})  # English, and believed to be English
UNKNOWN_LANGUAGE = frozenset({"", "NOT", "REF"})  # not obtained, refused
TRUE = frozenset({"true", "1", "y", "yes"})
NO_RESULT = "pupil(s) with no maths result for this assessment"
# The mapping's fields, the StageAssessment element each is compared with, and why a result
# that differs is left out.
OTHER_RESULTS = (
    ("key_stage", "Stage", "result(s) of another key stage"),
    ("year", "Year", "result(s) of another year"),
    ("method", "Method", "result(s) by another method"),
    ("component", "Component", "result(s) of another component"),
)


@dataclass(frozen=True)
class CtfMapping:
    """Which of a CTF's maths results go to the window, as the hub lead chose at upload, and
    the window's date, on which disadvantage and SEN provision are judged. A blank year,
    method or component takes any."""

    date: datetime.date
    key_stage: str
    year: str = ""
    method: str = ""
    component: str = ""

    @classmethod
    def of_upload(cls, upload) -> "CtfMapping":
        chosen = upload and (upload.summary or {}).get("ctf")
        if not chosen:
            raise UnreadableFile(
                "This is a Common Transfer File: choose on the upload page which of its "
                "results go to this assessment (key stage, and year, method or component)."
            )
        fields = ("key_stage", "year", "method", "component")
        return cls(upload.window.date, **{f: str(chosen.get(f) or "") for f in fields})

    def reason_left_out(self, result: dict) -> str | None:
        for field, element, reason in OTHER_RESULTS:
            wanted = getattr(self, field)
            if wanted and result.get(element, "").upper() != wanted.upper():
                return reason
        return None


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _local(name: str) -> str:
    """The element's name without its namespace (the parser joins them with a space)."""
    return name.rpartition(" ")[2]


def _refuse_dtd(*_args) -> None:
    raise UnreadableFile(
        "This XML file declares a DTD or entities (<!DOCTYPE ...>), which no Common Transfer "
        "File has, so it is not read. Export the CTF from your information system again."
    )


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.buffer_text = True
    return parser


def _parsed(parser, stream: BinaryIO):
    """Feed the file to the parser a chunk at a time, pausing (yielding) after each."""
    try:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
            yield
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise _unreadable(error) from error


def _unreadable(error: expat.ExpatError) -> UnreadableFile:
    return UnreadableFile(
        f"This XML file cannot be read, line {error.lineno}: "
        f"{expat.ErrorString(error.code)}. Export the CTF again."
    )


def check_ctf(stream: BinaryIO) -> None:
    """Refuse an XML file whose first element is not CTfile, or that has a DTD. The stream
    is left at its start."""
    parser, root = _parser(), []
    parser.StartElementHandler = lambda name, _attrs: root.append(_local(name))
    try:
        next((_ for _ in _parsed(parser, stream) if root), None)
    finally:
        stream.seek(0)
    if root[0] != "CTfile":  # a file with no element at all is not well-formed
        raise UnreadableFile(
            f"This XML file is not a Common Transfer File: it starts with <{root[0]}>, not "
            "<CTfile>. Upload a CTF, or the results as CSV or XLSX."
        )


KEPT = {
    ("UPN",): "upn",
    ("BasicDetails", "NCyearActual"): "year",
    ("BasicDetails", "Sex"): "sex",
    ("BasicDetails", "Gender"): "sex",
    ("Sex",): "sex",
    ("Gender",): "sex",
    ("LookedAfter", "InCare"): "in_care",
}
# Where, inside a Pupil, the records it may hold several of are; errors name them by
# position: FSMhistory/FSMinstance[2].
RECORDS = {
    ("FSMhistory", "FSMinstance"),
    ("SENhistory", "SEN"),
    ("Languages", "Type"),
    ("StageAssessments", "KeyStage", "StageAssessment"),
}
STAGE = ("StageAssessments", "KeyStage", "Stage")


class _Pupil:
    """What one Pupil element says that the template needs, and nothing else."""

    def __init__(self, position: int):
        self.position = position
        self.values: dict[str, str] = {}
        self.records: dict[str, list[dict]] = {path[-1]: [] for path in RECORDS}
        self.stage = ""
        self.first_of_stage = 0

    def open(self, path: tuple) -> None:
        if path in RECORDS:
            self.records[path[-1]].append({"Stage": self.stage})
        elif path == STAGE[:2]:
            self.stage, self.first_of_stage = "", len(self.records["StageAssessment"])

    def close(self, path: tuple, text: str) -> None:
        if path[:-1] in RECORDS:
            self.records[path[-2]][-1][path[-1]] = text
        elif path == STAGE:
            # A KeyStage's Stage may come after some of its assessments.
            self.stage = text
            for result in self.records["StageAssessment"][self.first_of_stage :]:
                result["Stage"] = text
        elif path in KEPT:
            self.values[KEPT[path]] = text

    def where(self, record: str, index: int, element: str) -> str:
        path = "/".join(next(p for p in RECORDS if p[-1] == record))
        return f"The {ordinal(self.position)} Pupil, {path}[{index}]/{element}"

    def date(self, record: str, index: int, element: str) -> datetime.date | None:
        text = self.records[record][index - 1].get(element, "")
        if not text:
            return None
        try:
            if len(text) != len("2025-09-22"):
                raise ValueError(text)
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise UnreadableFile(
                f"{self.where(record, index, element)}: is not a date (YYYY-MM-DD). Nothing "
                "in the file was saved."
            ) from None

    def spans(self, record: str, start: str, end: str):
        """(index, start, end) of each dated record, checked: a start, and no end before it."""
        for index in range(1, len(self.records[record]) + 1):
            begins, ends = self.date(record, index, start), self.date(record, index, end)
            if begins is None and record == "FSMinstance":
                raise UnreadableFile(
                    f"{self.where(record, index, start)}: is missing. Nothing in the file "
                    "was saved."
                )
            if begins and ends and ends < begins:
                raise UnreadableFile(
                    f"{self.where(record, index, end)}: is before the {start}. Nothing in "
                    "the file was saved."
                )
            yield index, begins, ends


def six_years_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 6)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 6, day=28)


def disadvantaged(pupil: _Pupil, day: datetime.date) -> bool:
    """Ever 6: free school meals at any time in the six years up to the window's date, or
    looked after now."""
    since = six_years_before(day)
    # Every record is checked, even once one is found to count: an error is never hidden.
    spans = list(pupil.spans("FSMinstance", "FSMstartDate", "FSMendDate"))
    if pupil.values.get("in_care", "").lower() in TRUE:
        return True
    return any(start <= day and (end is None or end >= since) for _, start, end in spans)


def sen_provision(pupil: _Pupil, day: datetime.date) -> str:
    """The provision of the SEN record current on the window's date (the latest begun, if
    several are); N when none is. Older files give no dates: their record is current."""
    current = [
        (start or datetime.date.min, index)
        for index, start, end in pupil.spans("SEN", "StartDate", "EndDate")
        if (start is None or start <= day) and (end is None or end >= day)
    ]
    if not current:
        return "N"
    _, index = max(current)
    return pupil.records["SEN"][index - 1].get("SENprovision", "")


def eal(pupil: _Pupil) -> str:
    """Y when the first language is other than English, blank when it is not known."""
    firsts = [t for t in pupil.records["Type"] if t.get("LanguageType", "").upper() == "F"]
    code = firsts[0].get("Language", "").upper() if firsts else ""
    if code in UNKNOWN_LANGUAGE:
        return ""
    return "N" if code in ENGLISH else "Y"


class CtfTally:
    """How many of the file's maths results went to the window, and why the others did not:
    for the preview, in counts only."""

    def __init__(self):
        self.version = ""
        self.pupils = 0
        self.taken = 0
        self.left_out: Counter[str] = Counter()

    def as_summary(self) -> dict:
        return {
            "version": self.version,
            "pupils": self.pupils,
            "taken": self.taken,
            "left_out": sorted(self.left_out.items()),
        }


def ctf_lines(tally: dict) -> str:
    """What a check's tally (CtfTally.as_summary) says, in words, for the command."""
    lines = [
        f"CTF {tally['version']}: {tally['pupils']} pupil(s), {tally['taken']} maths "
        "result(s) went to this assessment."
    ]
    lines += [f"Left out: {count} {reason}." for reason, count in tally["left_out"]]
    return "\n".join(lines)


def _number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def results(pupil: _Pupil, mapping: CtfMapping, tally: CtfTally) -> tuple[str, str]:
    """The pupil's maths score and standard for the window, each from the first result
    that the mapping takes; every other maths result is counted as left out, with why."""
    taken = {"score": "", "standard": ""}
    for result in pupil.records["StageAssessment"]:
        if result.get("Subject", "").upper() != "MAT":
            continue
        text = result.get("Result", "")
        kind = "score" if _number(text) else "standard" if text.upper() in STANDARDS else ""
        reason = mapping.reason_left_out(result)
        if reason is None and not kind:
            reason = "result(s) neither a scaled score nor PKF, WTS, EXS or GDS"
        elif reason is None and taken[kind]:
            reason = f"second {kind}(s) for the same pupil"
        if reason:
            tally.left_out[reason] += 1
            continue
        taken[kind] = text if kind == "score" else text.upper()
        tally.taken += 1
    return taken["score"], taken["standard"]


class _Reader:
    """The expat handlers: the element path so far, the text of the element open now, and
    the Pupil being read. A pupil's row is made as its element closes."""

    def __init__(self, mapping: CtfMapping, tally: CtfTally):
        self.mapping, self.tally = mapping, tally
        self.stack: list[str] = []
        self.text: list[str] = []
        self.chars = 0
        self.header: dict[str, str] = {}
        self.urn: str | None = None
        self.pupil: _Pupil | None = None
        self.rows: list[list[str]] = []
        self.parser = _parser()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.data

    def start(self, name: str, _attributes) -> None:
        self.stack.append(_local(name))
        self.text, self.chars = [], 0
        if self.pupil is not None:
            self.pupil.open(tuple(self.stack[3:]))
        elif self.stack == ["CTfile", "CTFpupilData", "Pupil"]:
            self.check_header()
            self.tally.pupils += 1
            self.pupil = _Pupil(self.tally.pupils)

    def data(self, text: str) -> None:
        self.chars += len(text)
        if self.chars > MAX_TEXT:
            raise UnreadableFile(
                f"An element <{self.stack[-1]}> holds more than {MAX_TEXT:,} characters, "
                "more than any CTF value: is this the right file?"
            )
        self.text.append(text)

    def end(self, _name: str) -> None:
        text = "".join(self.text).strip()
        self.text, self.chars = [], 0
        if self.pupil is not None and len(self.stack) == 3:
            self.rows.append(self.row(self.pupil))
            self.pupil = None
        elif self.pupil is not None:
            self.pupil.close(tuple(self.stack[3:]), text)
        elif self.stack[:2] == ["CTfile", "Header"]:
            self.header["/".join(self.stack[2:])] = text
        self.stack.pop()

    def check_header(self) -> None:
        if self.urn is not None:
            return
        version = self.header.get("CTFversion", "")
        major = version.partition(".")[0]
        if not major.isdigit() or int(major) < OLDEST_VERSION:
            named = f"version {version!r}" if version else "no version (Header/CTFversion)"
            raise UnreadableFile(
                f"This Common Transfer File has {named}. CTF {OLDEST_VERSION} (2017) and "
                "later are read: export the CTF again from your information system."
            )
        urn = self.header.get("SourceSchool/URN", "")
        if not urn:
            raise UnreadableFile(
                "This Common Transfer File does not name its school (Header/SourceSchool/URN): "
                "export the CTF again from your information system."
            )
        self.tally.version, self.urn = version, urn

    def row(self, pupil: _Pupil) -> list[str]:
        day = self.mapping.date
        score, standard = results(pupil, self.mapping, self.tally)
        if not score and not standard:
            # A blank row keeps each later pupil's row number: the nth Pupil is row n + 1.
            self.tally.left_out[NO_RESULT] += 1
            return BLANK
        values = pupil.values
        return [values.get("upn", ""), self.urn, values.get("year", ""),
                "Y" if disadvantaged(pupil, day) else "N", sen_provision(pupil, day),
                eal(pupil), values.get("sex", ""), score, standard]  # fmt: skip


def ctf_rows(stream: BinaryIO, mapping: CtfMapping, tally: CtfTally):
    """The template's header, then one row a Pupil, read a chunk of the file at a time."""
    reader = _Reader(mapping, tally)
    yield HEADER
    for _ in _parsed(reader.parser, stream):
        yield from reader.rows
        reader.rows = []
    reader.check_header()
    yield from reader.rows
