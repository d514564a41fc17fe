"""A deterministic results file shaped like a hub's: pupils across many schools, as an MIS
exports them (names and dates of birth included, which the import must ignore)."""

import csv
import random
from pathlib import Path

from stdnum.gb import upn

from schools.year_groups import YEAR_GROUP_LABELS

HEADER = [
    "UPN",
    "Forename",
    "Surname",
    "DOB",
    "URN",
    "Year Group",
    "Pupil Premium",
    "SEN",
    "EAL",
    "Gender",
    "Scaled Score",
]
FIRST = ["Amara", "Ben", "Chloe", "Daniel", "Efua", "Farah", "George", "Hannah", "Imran", "Jade"]
LAST = ["Adeyemi", "Begum", "Clarke", "Da Silva", "Evans", "Khan", "Mensah", "Patel", "Smith"]


def pupil_upn(la_code: int, school_index: int, serial: int) -> str:
    body = f"{la_code:03d}{school_index % 10000:04d}{serial // 1000 % 100:02d}{serial % 1000:03d}"
    return upn.calc_check_digit(body) + body


def write_results_file(path: Path, *, schools: list[tuple[int, int]], rows: int, seed: int = 1):
    """`schools` is a list of (URN, LA code); pupils are spread evenly across them."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    per_school = -(-rows // len(schools))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        written = 0
        for index, (urn, la_code) in enumerate(schools):
            for serial in range(per_school):
                if written == rows:
                    return
                disadvantaged = rng.random() < 0.3
                score = round(min(120, max(80, rng.gauss(101 - 4 * disadvantaged, 7))))
                writer.writerow(
                    [
                        pupil_upn(la_code, index, serial),
                        rng.choice(FIRST),
                        rng.choice(LAST),
                        "2014-05-01",
                        urn,
                        YEAR_GROUP_LABELS[rng.randint(3, 6)],
                        "Y" if disadvantaged else "N",
                        rng.choices(["", "K", "E"], [85, 12, 3])[0],
                        rng.choice("YN"),
                        rng.choice("MF"),
                        score,
                    ]
                )
                written += 1
