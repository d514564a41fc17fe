"""Writing small files shaped like GIAS exports: extra columns, Windows-1252 text."""

import csv
import io

HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "NumberOfPupils",
    "PercentageFSM",
    "Trusts (name)",
    "Postcode",
    "HeadFirstName",
]


def school_row(urn=100001, **overrides) -> dict:
    row = {
        "URN": str(urn),
        "LA (code)": "316",
        "LA (name)": "Newham",
        "EstablishmentNumber": "2001",
        "EstablishmentName": "St Mary’s Primary School",
        "TypeOfEstablishment (name)": "Voluntary aided school",
        "EstablishmentStatus (name)": "Open",
        "PhaseOfEducation (name)": "Primary",
        "NumberOfPupils": "420",
        "PercentageFSM": "23.45",
        "Trusts (name)": "",
        "Postcode": "e13 9aa",
        "HeadFirstName": "Ada",
    }
    row.update(overrides)
    return row


def gias_csv(rows: list[dict], encoding: str = "cp1252", header=HEADER) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
