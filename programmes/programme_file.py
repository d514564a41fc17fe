"""Reading a programme description file (JSON, documented in the README). Every problem is
reported with its place in the file, e.g. `cohorts[1].schools[3]`, before anything is written."""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify

from evaluation.models import WindowKind


class ProgrammeFileInvalid(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class CohortSpec:
    name: str
    start_date: date
    end_date: date
    urns: list[int]


@dataclass
class WindowSpec:
    slug: str
    name: str
    kind: str
    date: date
    scale: dict = field(default_factory=dict)
    instrument: str = ""
    teacher_assessment: bool = False


@dataclass
class ProgrammeSpec:
    slug: str
    name: str
    funder: str
    funding_reference: str
    value: Decimal
    start_date: date
    end_date: date
    aims: str
    cohorts: list[CohortSpec]
    comparison_urns: list[int]
    windows: list[WindowSpec]
    sle_days: Decimal
    funding: Decimal

    @property
    def all_urns(self) -> list[int]:
        return [urn for cohort in self.cohorts for urn in cohort.urns] + self.comparison_urns


SCALE_FIELDS = {
    "min": "scale_min",
    "max": "scale_max",
    "expected": "expected_threshold",
    "higher": "higher_threshold",
}


class _Reader:
    def __init__(self):
        self.errors: list[str] = []

    def fail(self, where: str, reason: str):
        self.errors.append(f"{where}: {reason}")

    def get(self, data: dict, key: str, where: str, kind, *, required=True, default=None):
        place = f"{where}.{key}" if where else key
        if key not in data or data[key] in (None, ""):
            if required:
                self.fail(place, "is missing")
            return default
        value = data[key]
        try:
            if kind is date:
                return date.fromisoformat(value)
            if kind is Decimal:
                if isinstance(value, bool):
                    raise TypeError
                return Decimal(str(value))
            if kind is int:
                if isinstance(value, bool) or not str(value).isdigit():
                    raise TypeError
                return int(value)
            if not isinstance(value, kind):
                raise TypeError
            return value
        except (TypeError, ValueError, InvalidOperation):
            expected = {
                date: "a date as YYYY-MM-DD",
                Decimal: "a number",
                int: "a whole number",
                str: "text",
                list: "a list",
                dict: "an object",
                bool: "true or false",
            }
            self.fail(place, f"should be {expected[kind]}")  # fmt: skip
            return default

    def urns(self, data: dict, key: str, where: str, *, required: bool) -> list[int]:
        values = self.get(data, key, where, list, required=required, default=[])
        urns = []
        for index, value in enumerate(values):
            if (
                isinstance(value, int)
                and 100000 <= value <= 999999
                or (isinstance(value, str) and value.isdigit() and len(value) == 6)
            ):
                urns.append(int(value))
            else:
                self.fail(f"{where + '.' if where else ''}{key}[{index}]", "is not a 6-digit URN")
        return urns


def read_programme_file(content: bytes) -> ProgrammeSpec:
    try:
        data = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProgrammeFileInvalid([f"the file is not valid JSON ({error})"]) from error
    if not isinstance(data, dict):
        raise ProgrammeFileInvalid(["the file should hold one JSON object"])
    read = _Reader()
    slug = read.get(data, "slug", "", str, default="")
    if slug and slugify(slug) != slug:
        read.fail("slug", "use lower-case letters, digits and hyphens only")
    cohorts = []
    for index, item in enumerate(read.get(data, "cohorts", "", list, default=[])):
        where = f"cohorts[{index}]"
        if not isinstance(item, dict):
            read.fail(where, "should be an object")
            continue
        cohorts.append(
            CohortSpec(
                name=read.get(item, "name", where, str, default=""),
                start_date=read.get(item, "start_date", where, date),
                end_date=read.get(item, "end_date", where, date),
                urns=read.urns(item, "schools", where, required=True),
            )
        )
    windows = []
    for index, item in enumerate(
        read.get(data, "assessment_windows", "", list, required=False, default=[])
    ):
        where = f"assessment_windows[{index}]"
        if not isinstance(item, dict):
            read.fail(where, "should be an object")
            continue
        kind = read.get(item, "kind", where, str, default="")
        if kind and kind not in WindowKind.values:
            read.fail(f"{where}.kind", f"should be one of {', '.join(WindowKind.values)}")
        scale = read.get(item, "scale", where, dict, required=False, default={})
        unknown = set(scale) - SCALE_FIELDS.keys()
        if unknown:
            read.fail(f"{where}.scale", f"has unknown keys {', '.join(sorted(unknown))}")
        windows.append(
            WindowSpec(
                slug=read.get(item, "slug", where, str, default=""),
                name=read.get(item, "name", where, str, default=""),
                kind=kind,
                date=read.get(item, "date", where, date),
                scale={
                    SCALE_FIELDS[key]: read.get(scale, key, f"{where}.scale", Decimal)
                    for key in SCALE_FIELDS.keys() & scale.keys()
                },
                instrument=read.get(item, "instrument", where, str, required=False, default=""),
                teacher_assessment=read.get(
                    item, "teacher_assessment", where, bool, required=False, default=False
                ),
            )
        )
    allocation = read.get(data, "allocation", "", dict, required=False, default={})
    spec = ProgrammeSpec(
        slug=slug,
        name=read.get(data, "name", "", str, default=""),
        funder=read.get(data, "funder", "", str, required=False, default=""),
        funding_reference=read.get(data, "funding_reference", "", str, required=False, default=""),
        value=read.get(data, "value", "", Decimal, required=False, default=Decimal(0)),
        start_date=read.get(data, "start_date", "", date),
        end_date=read.get(data, "end_date", "", date),
        aims=read.get(data, "aims", "", str, required=False, default=""),
        cohorts=cohorts,
        comparison_urns=read.urns(data, "comparison_schools", "", required=False),
        windows=windows,
        sle_days=read.get(
            allocation, "sle_days", "allocation", Decimal, required=False, default=Decimal(0)
        ),
        funding=read.get(
            allocation, "funding", "allocation", Decimal, required=False, default=Decimal(0)
        ),
    )
    _check_repeats(read, spec)
    if read.errors:
        raise ProgrammeFileInvalid(read.errors)
    return spec


def _check_repeats(read: _Reader, spec: ProgrammeSpec) -> None:
    seen: dict[int, str] = {}
    places = [
        (f"cohorts[{c}].schools[{i}]", urn)
        for c, cohort in enumerate(spec.cohorts)
        for i, urn in enumerate(cohort.urns)
    ] + [(f"comparison_schools[{i}]", urn) for i, urn in enumerate(spec.comparison_urns)]
    for place, urn in places:
        if urn in seen:
            read.fail(place, f"URN {urn} is already listed at {seen[urn]}")
        seen.setdefault(urn, place)
    for key, items in (("cohorts", spec.cohorts), ("assessment_windows", spec.windows)):
        names = [getattr(item, "slug", None) or item.name for item in items]
        for index, name in enumerate(names):
            if name and name in names[:index]:
                read.fail(f"{key}[{index}]", f"{name!r} appears twice")
