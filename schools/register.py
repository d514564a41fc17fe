"""Reading a CSV export of the DfE register of schools, Get Information about Schools (GIAS).

GIAS exports are Windows-1252 encoded and carry a hundred or so columns; only those below are
read. Rows are numbered as a spreadsheet shows them: the header is row 1."""

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

COLUMNS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "la_code": "LA (code)",
    "la_name": "LA (name)",
    "establishment_type": "TypeOfEstablishment (name)",
    "phase": "PhaseOfEducation (name)",
    "status": "EstablishmentStatus (name)",
    "number_on_roll": "NumberOfPupils",
    "percentage_fsm": "PercentageFSM",
    "trust": "Trusts (name)",
    "postcode": "Postcode",
}
REQUIRED = ("urn", "name", "la_name")
MAX_LENGTHS = {"name": 200, "establishment_type": 100, "phase": 50, "trust": 200, "postcode": 10}
# GIAS writes "SUPP" where a percentage is withheld for a small school.
NOT_GIVEN = {"", "SUPP", "NOT APPLICABLE"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        shown = f" ({self.value!r})" if self.value else ""
        return f"{where}{shown}: {self.reason}"


@dataclass(frozen=True)
class RegisterRow:
    row: int
    urn: int
    name: str
    la_code: int | None
    la_name: str
    establishment_type: str
    phase: str
    is_open: bool
    number_on_roll: int | None
    percentage_fsm: Decimal | None
    trust: str
    postcode: str


class RegisterInvalid(Exception):
    """The file cannot be imported; nothing has been written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the file")
        self.errors = errors


def decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def read_register(content: bytes) -> list[RegisterRow]:
    """Every usable row, or RegisterInvalid listing every row that is not."""
    reader = csv.reader(io.StringIO(decode(content), newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    positions = {field: header.index(name) for field, name in COLUMNS.items() if name in header}
    missing = [COLUMNS[field] for field in REQUIRED if field not in positions]
    if missing:
        reason = "this is not a GIAS export: it has no " + ", ".join(missing) + " column"
        raise RegisterInvalid([RowError(1, "", "", reason)])

    rows, errors, seen_urns = [], [], {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            field: cells[position].strip() if position < len(cells) else ""
            for field, position in positions.items()
        }
        row, row_errors = _parse_row(number, values)
        if row and row.urn in seen_urns:
            row_errors.append(
                RowError(number, "URN", str(row.urn), f"repeats row {seen_urns[row.urn]}")
            )
        errors += row_errors
        if row and not row_errors:
            seen_urns[row.urn] = number
            rows.append(row)
    if errors:
        raise RegisterInvalid(errors)
    return rows


def _parse_row(number: int, values: dict[str, str]) -> tuple[RegisterRow | None, list[RowError]]:
    errors = []

    def fail(field: str, reason: str) -> None:
        errors.append(RowError(number, COLUMNS[field], values.get(field, ""), reason))

    urn = values["urn"]
    if not (urn.isdigit() and len(urn) == 6):
        fail("urn", "a URN is a 6-digit number")
    for field in REQUIRED[1:]:
        if not values[field]:
            fail(field, "is empty")
    for field, limit in MAX_LENGTHS.items():
        if len(values.get(field, "")) > limit:
            fail(field, f"is longer than {limit} characters")

    la_code = values.get("la_code", "")
    if la_code and not (la_code.isdigit() and len(la_code) == 3):
        fail("la_code", "an LA code is a 3-digit number")
    number_on_roll = values.get("number_on_roll", "")
    if number_on_roll.upper() not in NOT_GIVEN and not number_on_roll.isdigit():
        fail("number_on_roll", "is not a whole number")
    percentage_fsm = _percentage(values.get("percentage_fsm", ""))
    if percentage_fsm is False:
        fail("percentage_fsm", "is not a percentage from 0 to 100")
    if errors:
        return None, errors
    return (
        RegisterRow(
            row=number,
            urn=int(urn),
            name=values["name"],
            la_code=int(la_code) if la_code else None,
            la_name=values["la_name"],
            establishment_type=values.get("establishment_type", ""),
            phase=values.get("phase", ""),
            is_open=values.get("status", "Open").lower().startswith("open"),
            number_on_roll=int(number_on_roll) if number_on_roll.isdigit() else None,
            percentage_fsm=percentage_fsm,
            trust=values.get("trust", ""),
            postcode=values.get("postcode", "").upper(),
        ),
        [],
    )


def _percentage(text: str) -> Decimal | None | bool:
    """The value to one decimal place, None when not given, False when unreadable."""
    if text.upper() in NOT_GIVEN:
        return None
    try:
        value = Decimal(text).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return False
    return value if 0 <= value <= 100 else False
