"""Checking a results file row by row, before anything is written.

Columns are found by header, whatever the case, spaces, underscores or hyphens, under the names
schools' information systems use. Each row either becomes a clean row (the pupil already
pseudonymised) or one error per bad cell, naming the row as a spreadsheet numbers it (header =
row 1), the column as the file heads it, the value, and the reason. A UPN is never echoed in
full: errors show its first four characters only. A CSV row whose fields do not line up with
the header's is reported as such, with none of its values: they may be in the wrong columns."""

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import chain, islice, repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple

from .cell_readings import (
    Readings,
    read_disadvantaged,
    read_eal,
    read_gender,
    read_send,
    read_standard,
    read_year_group,
)
from .models import AssessmentWindow
from .pseudonym import ChunkPseudonyms, Pseudonyms
from .upload_file import Misaligned
from .upn import masked, normalise_upn, upn_problem, valid_upns

ALIASES = {
    "upn": ("upn",),
    "urn": ("urn", "schoolurn"),
    "year_group": ("yeargroup", "year", "ncyear"),
    "disadvantaged": ("disadvantaged", "pupilpremium", "pp"),
    "send": ("send", "sen", "senprovision"),
    "eal": ("eal",),
    "gender": ("gender", "sex"),
    "score": ("score", "scaledscore", "standardisedscore"),
    "standard": ("standard", "teacherassessment", "ta"),
}
REQUIRED = ("upn", "urn", "year_group", "disadvantaged")
LABELS = {"upn": "UPN", "urn": "URN", "year_group": "Year group", "disadvantaged": "Disadvantaged"}
TENTH = Decimal("0.1")
SHOWN_ERRORS = 500
NEITHER = "the row has neither a score nor a standard"
REPORT_HEADER = ["Row", "Column", "Value", "Problem"]


def _normalise(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header).lower()


class RowError(NamedTuple):
    row: int
    column: str
    value: str
    reason: str


class CleanRow(NamedTuple):
    row: int
    upn_hash: str
    school_id: int
    year_group: int
    disadvantaged: bool
    send: str
    eal: bool | None
    gender: str
    score: Decimal | None
    standard: str


class HeaderInvalid(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(error.reason for error in errors))
        self.errors = errors


@dataclass
class Columns:
    """Where each field is in the file, and what the file calls it."""

    positions: dict[str, int]
    names: dict[str, str]

    @classmethod
    def from_header(cls, header: list[str]) -> "Columns":
        lookup = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
        positions, names, errors = {}, {}, []
        for position, title in enumerate(header):
            field = lookup.get(_normalise(title))
            if field is None:
                continue  # names, dates of birth and anything else: ignored, never stored
            if field in positions:
                reason = f"two columns give the same thing: {names[field]!r} and {title!r}"
                errors.append(RowError(1, title, "", reason))
                continue
            positions[field], names[field] = position, title.strip()
        missing = [field for field in REQUIRED if field not in positions]
        if missing:
            wanted = ", ".join(LABELS[field] for field in missing)
            errors.append(RowError(1, "", "", f"the file has no column for: {wanted}"))
        if "score" not in positions and "standard" not in positions:
            errors.append(RowError(1, "", "", "the file needs a Score or a Standard column"))
        if errors:
            raise HeaderInvalid(errors)
        return cls(positions, names)


def plain_number(number) -> str:
    """80.0 as 80, 69.5 as 69.5."""
    return format(Decimal(number).normalize(), "f")


def outside_scale(low, high) -> str:
    """Why a score is refused, at the check and at a check done again (upload_recheck)."""
    return f"is outside this assessment's scale, {plain_number(low)} to {plain_number(high)}"


FIELDS = ("urn", "year_group", "disadvantaged", "send", "eal", "gender", "score", "standard")
CHUNK = 10_000
BATCH = 250  # rows measured at a time; a chunk may go past CHUNK_COST by one batch's worth
# What a chunk of rows may hold, counted as characters plus about what Python spends on
# each cell's string: some 80 MB.
CHUNK_COST = 32_000_000
CELL_COST = 64


class ResultsValidator:
    """Turns the rows of a file (header first) into clean rows, collecting every error on
    the way. Rows are checked a chunk at a time, column by column. Errors beyond the first few
    hundred go to a temporary file, so memory stays bounded whatever the file holds."""

    def __init__(self, *, window: AssessmentWindow, schools: dict[int, int], only_school_id=None):
        self.window = window
        self.schools = schools  # URN -> school id, for the schools this upload may name
        self.only_school_id = only_school_id
        self.pseudonyms = ChunkPseudonyms(Pseudonyms(programme_id=window.programme_id))
        self.error_count = self.rows = 0
        self.shown_errors: list[RowError] = []
        self.report = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed with the validator
            max_size=4 * 1024 * 1024, mode="w+", newline=""
        )
        self.report_writer = csv.writer(self.report)
        self.report_writer.writerow(REPORT_HEADER)
        self.columns: Columns | None = None
        self.seen: dict[bytes, int] = {}
        self.readings = {
            field: Readings(read)
            for field, read in zip(FIELDS, (self._read_urn, read_year_group,
                read_disadvantaged, read_send, read_eal, read_gender, self._read_score,
                read_standard), strict=True)
        }  # fmt: skip

    def close(self) -> None:
        self.pseudonyms.close()
        self.report.close()

    def error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.shown_errors) < SHOWN_ERRORS:
            self.shown_errors.append(error)
        self.report_writer.writerow(error)

    def clean(self, rows: Iterable[list[str] | Misaligned]) -> Iterator[CleanRow]:
        for columns in self.clean_chunks(rows):
            # tuple.__new__ makes each row without a call of Python (CleanRow's own __new__).
            yield from map(tuple.__new__, repeat(CleanRow), zip(*columns, strict=True))

    def clean_chunks(self, rows: Iterable[list[str] | Misaligned]) -> Iterator[list[list]]:
        """The clean rows of a chunk of the file at a time, as columns in CleanRow's order
        (staged_text.tsv_text writes them out a column at a time)."""
        rows = iter(rows)
        try:
            self.columns = Columns.from_header(next(rows, []))
        except HeaderInvalid as invalid:
            for error in invalid.errors:
                self.error(error)
            return
        # Each chunk's UPNs go to be hashed before the chunk before it is checked, so that a
        # helper process (pseudonym.ChunkPseudonyms) hashes one while this one checks the other.
        pending = None
        try:
            for chunk in self._chunks(rows):
                submitted = self._submit(chunk)
                if pending is not None:
                    yield self._clean_chunk(*pending)
                pending = submitted
            if pending is not None:
                yield self._clean_chunk(*pending)
        finally:
            self.pseudonyms.close()  # the helper's work is done, or of no more use

    def _chunks(self, rows: Iterator[list[str] | Misaligned]) -> Iterator[list]:
        """The numbered rows, up to CHUNK of them at a time, but fewer if they are wide: a
        chunk's memory is bounded whatever the width of the file's rows. Only the cells up to
        the last column read are kept. Rows are taken and measured BATCH at a time, so that
        a million rows cost no Python call each here."""
        width = max(self.columns.positions.values()) + 1
        chunk, cost, number = [], 0, 2
        while batch := list(islice(rows, min(BATCH, CHUNK - len(chunk)))):
            # Each step only where it changes something (a row to cut, a misaligned row to
            # leave out), found first without a loop of Python over the rows.
            if max(map(len, batch)) > width:
                batch = [
                    r[:width] if len(r) > width and type(r) is not Misaligned else r for r in batch
                ]
            cells = [r for r in batch if type(r) is not Misaligned] if _misaligned(batch) else batch
            cost += sum(map(len, chain.from_iterable(cells))) + CELL_COST * sum(map(len, cells))
            chunk.extend(zip(range(number, number + len(batch)), batch, strict=True))
            number += len(batch)
            if len(chunk) == CHUNK or cost > CHUNK_COST:
                yield chunk
                chunk, cost = [], 0
        if chunk:
            yield chunk

    def _texts(self, chunk: list) -> tuple[list[int], dict[str, list[str]]]:
        """Row numbers and each column's texts, blank rows left out."""
        positions = self.columns.positions
        width = max(positions.values()) + 1
        cells = list(map(itemgetter(1), chunk))
        if min(map(len, cells)) < width:
            cells = [c if len(c) >= width else c + [""] * (width - len(c)) for c in cells]
        # A workbook's rows may run past its header: those cells are in no column, unread.
        columns = list(zip(*cells, strict=False))
        texts = {field: list(map(str.strip, columns[p])) for field, p in positions.items()}
        numbers = list(map(itemgetter(0), chunk))
        # Only a row without a UPN can be blank.
        blank = {
            i for i, upn in enumerate(texts["upn"])
            if not upn and not any(column[i] for column in texts.values())
        } if "" in texts["upn"] else set()  # fmt: skip
        if blank:
            kept = [i for i in range(len(numbers)) if i not in blank]
            texts = {field: [column[i] for i in kept] for field, column in texts.items()}
            numbers = [numbers[i] for i in kept]
        return numbers, texts

    def _submit(self, chunk: list) -> tuple:
        """A chunk's texts, its UPNs sent to be hashed, and its misaligned rows' errors."""
        # Not one value of a misaligned row is read: each may sit under another column's
        # header (its date of birth under URN), so checking it would show them back.
        found = []
        if _misaligned(list(map(itemgetter(1), chunk))):
            found = [RowError(n, "", "", c.reason) for n, c in chunk if type(c) is Misaligned]
        aligned = [(n, c) for n, c in chunk if type(c) is not Misaligned] if found else chunk
        numbers, texts = self._texts(aligned) if aligned else ([], {})
        self.rows += len(found) + len(numbers)
        upns = list(map(normalise_upn, texts["upn"])) if numbers else []
        if numbers:
            self.pseudonyms.submit(upns, valid_upns(upns).tolist())
        return found, numbers, texts, upns

    def _clean_chunk(self, found: list[RowError], numbers, texts, upns) -> list[list]:
        """The clean rows of a submitted chunk, as columns; its errors recorded."""
        if numbers:
            clean = self._clean_aligned(numbers, texts, upns, found)
        else:
            clean = [[] for _ in CleanRow._fields]
        for error in sorted(found, key=attrgetter("row")):  # stable: fields keep their order
            self.error(error)
        return clean

    def _clean_aligned(self, numbers, texts, upns, found: list[RowError]) -> list[list]:
        """The clean rows of a chunk's aligned rows; the errors of the others go to `found`."""
        digests = self.pseudonyms.collect()
        seen = self.seen
        # Each loop of Python over the rows only where some row is not well formed, or not
        # the pupil's first: most files have neither.
        if b"" in digests:
            pairs = zip(digests, numbers, strict=True)
            firsts = [seen.setdefault(digest, n) if digest else None for digest, n in pairs]
        else:
            firsts = list(map(seen.setdefault, digests, numbers))
        bad = set()
        if firsts != numbers:
            pairs = zip(firsts, numbers, strict=True)
            bad = {i for i, (first, n) in enumerate(pairs) if first != n}
        values = []
        for read in self.readings.values():
            read.forget_if_many()
        for field, read in self.readings.items():
            column = texts.get(field) or [""] * len(numbers)
            values.append(list(map(read.__getitem__, column)))
            if read.problems:
                bad.update(i for i, text in enumerate(column) if text in read.problems)
        score, standard = values[-2], values[-1]
        pairs = enumerate(zip(score, standard, strict=True))
        neither = {i for i, (s, t) in pairs if s is None and not t} if None in score else set()
        columns = [numbers, list(map(bytes.hex, digests)), *values]
        if not bad and not neither:
            return columns
        for i in sorted(bad | neither):
            if i in bad:
                found.extend(self._row_errors(numbers[i], upns[i], firsts[i], texts, i))
            else:
                field = "score" if "score" in self.columns.names else "standard"
                found.append(self._error(numbers[i], field, "", NEITHER))
        kept = [i for i in range(len(numbers)) if i not in bad and i not in neither]
        return [[column[i] for i in kept] for column in columns]

    def _error(self, number: int, field: str, value: str, reason: str) -> RowError:
        return RowError(number, self.columns.names[field], value, reason)

    def _row_errors(self, number: int, upn: str, first: int | None, texts, i: int):
        """Every error of row i of a chunk, in the order of the fields."""
        shown = masked(upn)
        if first is None:
            yield self._error(number, "upn", shown, upn_problem(upn) if upn else "is empty")
        elif first != number:
            yield self._error(number, "upn", shown, f"the same pupil is already on row {first}")
        for field in FIELDS:
            if field in texts and texts[field][i] in self.readings[field].problems:
                text = texts[field][i]
                yield self._error(number, field, text, self.readings[field].problems[text])

    def _read_urn(self, urn: str) -> tuple:
        # ASCII digits only: "²" is a digit to str.isdigit but not to int().
        digits = urn.isascii() and urn.isdigit()
        school_id = self.schools.get(int(urn)) if digits else None
        if school_id is None:
            real = digits and len(urn) == 6
            return (
                None,
                "is not a school in this programme" if real else "a URN is a 6-digit number",
            )
        if self.only_school_id is not None and school_id != self.only_school_id:
            return None, "you can upload results for your own school only"
        return school_id, None

    def _read_score(self, text: str) -> tuple:
        if not text:
            return None, None
        try:
            score = Decimal(text)
            if not score.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            return None, "is not a number"
        low, high = self.window.scale_min, self.window.scale_max
        if not low <= score <= high:
            return None, outside_scale(low, high)
        if score != score.quantize(TENTH):
            return None, "has more than one decimal place"
        return score.quantize(TENTH), None

    def report_bytes(self) -> bytes:
        self.report.seek(0)
        return self.report.read().encode("utf-8")


def _misaligned(rows: list) -> bool:
    return Misaligned in set(map(type, rows))


def report_rows(report: bytes) -> Iterator[list]:
    """The problems of a stored report (what report_bytes gave), row numbers as numbers, for
    a download to write out as every other table is."""
    rows = csv.reader(io.StringIO(report.decode("utf-8")))
    next(rows, None)  # the header: REPORT_HEADER
    return ([int(number), *rest] for number, *rest in rows)
