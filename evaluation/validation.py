"""Checking a results file row by row, before anything is written.

Columns are found by header, whatever the case, spaces, underscores or hyphens, under the names
schools' information systems use. Each row either becomes a clean row (the pupil already
pseudonymised) or one error per bad cell, naming the row as a spreadsheet numbers it (header =
row 1), the column as the file heads it, the value, and the reason. A UPN is never echoed in
full: errors show its first four characters only."""

import csv
import hmac
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import mul
from typing import NamedTuple

from django.conf import settings
from stdnum.gb import upn as upn_rule

from .models import AssessmentWindow, TeacherAssessment

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
YES_NO = {"y": True, "yes": True, "true": True, "1": True,
          "n": False, "no": False, "false": False, "0": False}  # fmt: skip
YEAR_GROUPS = {"r": 0, "reception": 0, "yr": 0, "yearr": 0} | {
    form.format(n): n for n in range(1, 14) for form in ("{}", "y{}", "year{}")
}
SEND = {"": "N", "n": "N", "k": "K", "e": "E"}
GENDERS = {"": "", "m": "M", "f": "F"}
STANDARDS = {code.lower(): code for code in TeacherAssessment.values}
TENTH = Decimal("0.1")
SHOWN_ERRORS = 500


def _normalise(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header).lower()


def _valid_la_codes() -> frozenset[int]:
    # python-stdnum knows which local-authority numbers are real; ask it once for each.
    codes = set()
    for code in range(100, 1000):
        body = f"{code:03d}000000000"
        if upn_rule.is_valid(upn_rule.calc_check_digit(body) + body):
            codes.add(code)
    return frozenset(codes)


LA_CODES = _valid_la_codes()


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


UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ0123456789"


def _plain(number) -> str:
    """80.0 as 80, 69.5 as 69.5."""
    return format(Decimal(number).normalize(), "f")


def _masked(upn: str) -> str:
    return upn[:4] + "…" if len(upn) > 4 else upn


UPN_INDEX = {char: index for index, char in enumerate(UPN_ALPHABET)}
DIGIT_WEIGHTS = tuple(range(2, 13))
# The check letter weighs each of the last 12 characters by its place (2 to 13) and its place
# in the alphabet; a digit d is at 23 + d. With the 11 digits read as bytes (48 + d), the sum
# is sum(w * byte) - 48 * 77 + 23 * 77 plus 13 times the last character's place.
DIGITS_OFFSET = 23 * sum(DIGIT_WEIGHTS) - 48 * sum(DIGIT_WEIGHTS)


def _upn_is_valid(upn: str) -> bool:
    """python-stdnum's rule (tests check they agree), in a form fast enough for a million
    rows: this runs once a row."""
    if len(upn) != 13 or not upn[1:12].isdigit() or int(upn[1:4]) not in LA_CODES:
        return False
    last = UPN_INDEX.get(upn[12])
    if last is None:
        return False
    total = DIGITS_OFFSET + sum(map(mul, DIGIT_WEIGHTS, upn[1:12].encode())) + 13 * last
    return UPN_ALPHABET[total % 23] == upn[0]


def _upn_problem(upn: str) -> str:
    if len(upn) != 13:
        return f"a UPN has 13 characters, this has {len(upn)}"
    if not upn[1:12].isdigit() or upn[0] not in UPN_ALPHABET or upn[12] not in UPN_ALPHABET:
        return "a UPN is a letter, then 11 digits, then a digit or letter"
    if int(upn[1:4]) not in LA_CODES:
        return "the UPN's local authority number does not exist"
    return "the UPN's check letter does not match the rest: is it mistyped?"


class ResultsValidator:
    """Turns the rows of a file (header first) into clean rows, collecting every error on
    the way. Errors beyond the first few hundred go to a temporary file, so memory stays
    bounded whatever the file holds."""

    def __init__(self, *, window: AssessmentWindow, schools: dict[int, int], only_school_id=None):
        self.window = window
        self.schools = schools  # URN -> school id, for the schools this upload may name
        self.only_school_id = only_school_id
        self.key = settings.PUPIL_KEY_SECRET.encode()
        self.error_count = 0
        self.rows = 0
        self.shown_errors: list[RowError] = []
        self.report = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed with the validator
            max_size=4 * 1024 * 1024, mode="w+", newline=""
        )
        self.report_writer = csv.writer(self.report)
        self.report_writer.writerow(["Row", "Column", "Value", "Problem"])
        self.columns: Columns | None = None
        self.seen: dict[bytes, int] = {}

    def close(self) -> None:
        self.report.close()

    def error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.shown_errors) < SHOWN_ERRORS:
            self.shown_errors.append(error)
        self.report_writer.writerow(error)

    def clean(self, rows: Iterable[list[str]]) -> Iterator[CleanRow]:
        rows = iter(rows)
        try:
            self.columns = Columns.from_header(next(rows, []))
        except HeaderInvalid as invalid:
            for error in invalid.errors:
                self.error(error)
            return
        positions = self.columns.positions
        width = max(positions.values()) + 1
        for number, cells in enumerate(rows, start=2):
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            values = {field: cells[position].strip() for field, position in positions.items()}
            if not any(values.values()):
                continue  # a blank row
            self.rows += 1
            row = self._check(number, values)
            if row is not None:
                yield row

    def _fail(self, number: int, field: str, value: str, reason: str) -> None:
        self.error(RowError(number, self.columns.names[field], value, reason))

    def _check(self, number: int, values: dict[str, str]) -> CleanRow | None:
        errors_before = self.error_count
        fail = self._fail
        upn = values["upn"].replace(" ", "").upper()
        digest = b""
        if _upn_is_valid(upn):
            digest = hmac.digest(self.key, upn.encode(), "sha256")
            if digest in self.seen:
                reason = f"the same pupil is already on row {self.seen[digest]}"
                fail(number, "upn", _masked(upn), reason)
            else:
                self.seen[digest] = number
        else:
            fail(number, "upn", _masked(upn), _upn_problem(upn) if upn else "is empty")

        urn = values["urn"]
        school_id = self.schools.get(int(urn)) if urn.isdigit() else None
        if school_id is None:
            real = urn.isdigit() and len(urn) == 6
            reason = "is not a school in this programme" if real else "a URN is a 6-digit number"
            fail(number, "urn", urn, reason)
        elif self.only_school_id is not None and school_id != self.only_school_id:
            fail(number, "urn", urn, "you can upload results for your own school only")

        year_group = YEAR_GROUPS.get(values["year_group"].replace(" ", "").lower())
        if year_group is None:
            reason = 'a year group is R or 1 to 13 ("Year 6", "Y6" and "6" all work)'
            fail(number, "year_group", values["year_group"], reason)
        disadvantaged = YES_NO.get(values["disadvantaged"].lower())
        if disadvantaged is None:
            fail(number, "disadvantaged", values["disadvantaged"], "should be Y or N")
        send = SEND.get(values.get("send", "").lower())
        if send is None:
            reason = "should be N (none), K (SEN support) or E (EHC plan)"
            fail(number, "send", values["send"], reason)
        eal = None
        if values.get("eal"):
            eal = YES_NO.get(values["eal"].lower())
            if eal is None:
                fail(number, "eal", values["eal"], "should be Y or N")
        gender = GENDERS.get(values.get("gender", "").lower())
        if gender is None:
            fail(number, "gender", values["gender"], "should be M or F")
        score = self._score(number, values.get("score", ""))
        standard = ""
        if values.get("standard"):
            standard = STANDARDS.get(values["standard"].lower(), "")
            if not standard:
                fail(number, "standard", values["standard"], "should be PKF, WTS, EXS or GDS")
        if self.error_count > errors_before:
            return None
        if score is None and not standard:
            field = "score" if "score" in self.columns.names else "standard"
            fail(number, field, "", "the row has neither a score nor a standard")
            return None
        return CleanRow(
            number, digest.hex(), school_id, year_group, disadvantaged, send, eal, gender,
            score, standard,
        )  # fmt: skip

    def _score(self, number: int, text: str) -> Decimal | None:
        if not text:
            return None
        try:
            score = Decimal(text)
            if not score.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self._fail(number, "score", text, "is not a number")
            return None
        low, high = self.window.scale_min, self.window.scale_max
        if not low <= score <= high:
            self._fail(
                number,
                "score",
                text,
                f"is outside this assessment's scale, {_plain(low)} to {_plain(high)}",
            )
            return None
        if score != score.quantize(TENTH):
            self._fail(number, "score", text, "has more than one decimal place")
            return None
        return score.quantize(TENTH)

    def report_bytes(self) -> bytes:
        self.report.seek(0)
        return self.report.read().encode("utf-8")
