"""A deterministic results file shaped like a hub's: pupils across many schools, as an MIS
exports them (names and dates of birth included, which the import must ignore)."""

import csv
import random
from pathlib import Path
from typing import NamedTuple

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


class BenchPupil(NamedTuple):
    upn: str
    urn: int
    year_group: int
    disadvantaged: bool
    send: str  # "", K or E
    eal: bool
    gender: str
    score: int


def bench_pupils(*, schools: list[tuple[int, int]], rows: int, seed: int = 1):
    """`schools` is a list of (URN, LA code); pupils are spread evenly across them. The same
    arguments give the same pupils, for a results file and a CTF alike."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    per_school = -(-rows // len(schools))
    written = 0
    for index, (urn, la_code) in enumerate(schools):
        for serial in range(per_school):
            if written == rows:
                return
            disadvantaged = rng.random() < 0.3
            score = round(min(120, max(80, rng.gauss(101 - 4 * disadvantaged, 7))))
            year_group = rng.randint(3, 6)
            send = rng.choices(["", "K", "E"], [85, 12, 3])[0]
            eal, gender = rng.choice("YN") == "Y", rng.choice("MF")
            upn = pupil_upn(la_code, index, serial)
            yield BenchPupil(upn, urn, year_group, disadvantaged, send, eal, gender, score)
            written += 1


def write_results_file(path: Path, *, schools: list[tuple[int, int]], rows: int, seed: int = 1):
    """The pupils of bench_pupils as an MIS exports them, with names and dates of birth."""
    names = random.Random(seed + 1)  # noqa: S311 - reproducible test data
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for pupil in bench_pupils(schools=schools, rows=rows, seed=seed):
            writer.writerow(
                [
                    pupil.upn,
                    names.choice(FIRST),
                    names.choice(LAST),
                    "2014-05-01",
                    pupil.urn,
                    YEAR_GROUP_LABELS[pupil.year_group],
                    "Y" if pupil.disadvantaged else "N",
                    pupil.send,
                    "Y" if pupil.eal else "N",
                    pupil.gender,
                    pupil.score,
                ]
            )
