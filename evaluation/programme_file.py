"""Reading a programme description file (JSON, documented in the README). Every problem is
reported with its place in the file, e.g. `cohorts[1].schools[3]`, before anything is written."""

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .models import AssessmentWindow, WindowKind


class ProgrammeFileInvalid(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _read(read: Callable[[Any], Any], reason: str) -> PlainValidator:
    """A value of the file's own kind: `read` raises ValueError or TypeError if it is not one."""

    def validate(value: Any) -> Any:
        try:
            return read(value)
        except (TypeError, ValueError):
            raise PydanticCustomError("programme_file", reason) from None

    return PlainValidator(validate)


def _urn(value: int | str) -> int:
    # A number or text of six digits; `type`, not isinstance, as true and false are ints.
    if type(value) not in (int, str) or not re.fullmatch(r"[1-9][0-9]{5}", str(value)):
        raise ValueError(value)
    return int(value)


# Not pydantic's own date, which would also take a timestamp or a date with a time of day.
Date = Annotated[date, _read(date.fromisoformat, "should be a date as YYYY-MM-DD")]
Urn = Annotated[int, _read(_urn, "is not a 6-digit URN")]
Kind = Annotated[
    str,
    _read(lambda kind: WindowKind(kind).value, f"should be one of {', '.join(WindowKind.values)}"),
]


class _Dated(BaseModel):
    start_date: Date
    end_date: Date

    @field_validator("end_date")
    @classmethod
    def _not_before_start(cls, end: date, info: ValidationInfo) -> date:
        if end < info.data.get("start_date", end):
            raise PydanticCustomError("date_order", "should not be before start_date")
        return end


def _scale_point(field: str, key: str) -> Any:
    # A scale the file leaves out is the default one, even on a window that had another: the
    # file describes the whole window.
    default = Decimal(AssessmentWindow._meta.get_field(field).default)
    return Field(default, alias=key, max_digits=6, decimal_places=1)


class ScaleSpec(BaseModel, extra="forbid"):
    """Named as the window's fields, so that it is written onto one as it is."""

    scale_min: Decimal = _scale_point("scale_min", "min")
    scale_max: Decimal = _scale_point("scale_max", "max")
    expected_threshold: Decimal = _scale_point("expected_threshold", "expected")
    higher_threshold: Decimal = _scale_point("higher_threshold", "higher")

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        low, high = self.scale_min, self.scale_max
        # The window's own constraint, checked here too so that it is told with its place.
        if not (low < high and low <= self.expected_threshold <= self.higher_threshold <= high):
            raise PydanticCustomError(
                "scale_order",
                "should run from min to max, with expected and higher in order between them",
            )
        return self


class CohortSpec(_Dated):
    name: str
    urns: list[Urn] = Field(alias="schools")


class WindowSpec(BaseModel):
    slug: str
    name: str
    kind: Kind
    date: Date
    scale: ScaleSpec = Field(default_factory=ScaleSpec)
    instrument: str = ""
    teacher_assessment: bool = Field(False, strict=True)


class AllocationSpec(BaseModel):
    sle_days: Decimal = Field(Decimal(0), ge=0, max_digits=5, decimal_places=1)
    funding: Decimal = Field(Decimal(0), ge=0, max_digits=10, decimal_places=2)


class ProgrammeSpec(_Dated):
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    funder: str = ""
    funding_reference: str = ""
    value: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    aims: str = ""
    allocation: AllocationSpec = Field(default_factory=AllocationSpec)
    cohorts: list[CohortSpec]
    comparison_urns: list[Urn] = Field(default_factory=list, alias="comparison_schools")
    windows: list[WindowSpec] = Field(default_factory=list, alias="assessment_windows")

    @property
    def all_urns(self) -> list[int]:
        return [urn for cohort in self.cohorts for urn in cohort.urns] + self.comparison_urns

    def repeats(self) -> list[str]:
        """What is listed twice; asked once every entry is valid, as it compares entries."""
        places = [
            (f"cohorts[{c}].schools[{i}]", urn)
            for c, cohort in enumerate(self.cohorts)
            for i, urn in enumerate(cohort.urns)
        ] + [(f"comparison_schools[{i}]", urn) for i, urn in enumerate(self.comparison_urns)]
        first: dict[int, str] = {}
        errors = []
        for place, urn in places:
            if first.setdefault(urn, place) != place:
                errors.append(f"{place}: URN {urn} is already listed at {first[urn]}")
        for key, names in (
            ("cohorts", [cohort.name for cohort in self.cohorts]),
            ("assessment_windows", [window.slug for window in self.windows]),
        ):
            errors += [
                f"{key}[{i}]: {n!r} appears twice" for i, n in enumerate(names) if n in names[:i]
            ]
        return errors


# pydantic's error types in the words of the README; a type not here keeps pydantic's message.
REASONS = {
    "missing": "is missing",
    "string_type": "should be text",
    "string_pattern_mismatch": "use lower-case letters, digits and hyphens only",
    "bool_type": "should be true or false",
    "list_type": "should be a list",
    "model_type": "should be an object",
    **dict.fromkeys(["decimal_type", "decimal_parsing", "finite_number"], "should be a number"),
    "greater_than_equal": "should be at least {ge}",
    "decimal_max_digits": "has too many digits (at most {max_digits})",
    "decimal_max_places": "has too many decimal places (at most {decimal_places})",
    "decimal_whole_digits": "has too many digits before the point (at most {whole_digits})",
}


def _place(loc: tuple[int | str, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)[1:]


def _messages(invalid: ValidationError) -> list[str]:
    messages, unknown = [], {}
    for error in invalid.errors():
        loc, kind = error["loc"], error["type"]
        if kind == "extra_forbidden":  # one message for all of an object's unknown keys
            unknown.setdefault(_place(loc[:-1]), []).append(str(loc[-1]))
        else:
            reason = (
                REASONS[kind].format(**error.get("ctx", {})) if kind in REASONS else error["msg"]
            )
            messages.append(f"{_place(loc)}: {reason}")
    return messages + [
        f"{place}: has unknown keys {', '.join(sorted(keys))}" for place, keys in unknown.items()
    ]


def _given(pairs: list[tuple[str, Any]]) -> dict:
    # A key set to null or "" counts as left out: a required one "is missing", an optional one
    # takes its default.
    return {key: value for key, value in pairs if value not in (None, "")}


def read_programme_file(content: bytes) -> ProgrammeSpec:
    try:
        data = json.loads(content, object_pairs_hook=_given)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProgrammeFileInvalid([f"the file is not valid JSON ({error})"]) from error
    if not isinstance(data, dict):
        raise ProgrammeFileInvalid(["the file should hold one JSON object"])
    try:
        spec = ProgrammeSpec.model_validate(data)
    except ValidationError as invalid:
        raise ProgrammeFileInvalid(_messages(invalid)) from None
    if repeats := spec.repeats():
        raise ProgrammeFileInvalid(repeats)
    return spec
