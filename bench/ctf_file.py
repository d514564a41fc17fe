"""The benchmark's pupils (bench/results_file.py) as a Common Transfer File of one school, as an
MIS exports it: names, dates of birth and addresses included, which the import must ignore.
Disadvantage is an open free-school-meals record, SEN provision a record open on the window's
date, EAL a first language other than English, the score a KS2 maths test result."""

from pathlib import Path
from xml.sax.saxutils import escape

from bench.results_file import FIRST, LAST, BenchPupil, bench_pupils

# The mapping an upload of this file takes (see evaluation.upload_ctf.CtfMapping).
MAPPING = {"key_stage": "KS2", "year": "2026", "method": "TT", "component": ""}
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header>'
    "<DocumentName>Common Transfer File</DocumentName><CTFversion>24.0</CTFversion>"
    "<DateTime>2026-06-30T10:00:00</DateTime><DocumentQualifier>full</DocumentQualifier>"
    "<SupplierID>BenchMIS</SupplierID><SourceSchool><LEA>{la}</LEA><Estab>2001</Estab>"
    "<URN>{urn}</URN><SchoolName>Bench School</SchoolName><AcademicYear>2025</AcademicYear>"
    "</SourceSchool><DestSchool><LEA>{la}</LEA><Estab>4001</Estab></DestSchool>"
    "</Header><CTFpupilData>"
)
TAIL = "</CTFpupilData></CTfile>\n"


def _records(pupil: BenchPupil) -> str:
    fsm = (
        "<FSMhistory><FSMreviewDate>2026-01-05</FSMreviewDate><FSMinstance>"
        "<FSMstartDate>2024-09-02</FSMstartDate><UKcountry>ENG</UKcountry></FSMinstance>"
        "</FSMhistory>"
        if pupil.disadvantaged
        else ""
    )
    sen = (
        f"<SENhistory><SEN><StartDate>2025-09-03</StartDate><SENprovision>{pupil.send}"
        "</SENprovision></SEN></SENhistory>"
        if pupil.send
        else ""
    )
    language = "POL" if pupil.eal else "ENG"
    return (
        f"{fsm}{sen}<Languages><Type><LanguageType>F</LanguageType><Language>{language}"
        "</Language></Type></Languages><StageAssessments><KeyStage><Stage>KS2</Stage>"
        "<StageAssessment><Locale>ENG</Locale><Year>2026</Year><Subject>MAT</Subject>"
        f"<Method>TT</Method><ResultStatus>R</ResultStatus><Result>{pupil.score}</Result>"
        "<ResultDate>2026-07-07</ResultDate></StageAssessment></KeyStage></StageAssessments>"
    )


def pupil_xml(pupil: BenchPupil, forename: str, surname: str) -> str:
    return (
        f"<Pupil><UPN>{pupil.upn}</UPN><Surname>{escape(surname)}</Surname>"
        f"<Forename>{forename}</Forename><DOB>2014-05-01</DOB><BasicDetails>"
        f"<NCyearActual>{pupil.year_group}</NCyearActual><Sex>{pupil.gender}</Sex>"
        f"<Ethnicity>WBRI</Ethnicity></BasicDetails>{_records(pupil)}<Address><BS7666Address>"
        "<PAON>12</PAON><Street>High Street</Street><Town>London</Town></BS7666Address>"
        "</Address></Pupil>"
    )


def write_ctf_file(path: Path, *, school: tuple[int, int], rows: int, seed: int = 1) -> None:
    """The pupils bench_pupils gives for `school` (URN, LA code), a pupil at a time."""
    urn, la = school
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD.format(urn=urn, la=la))
        for n, pupil in enumerate(bench_pupils(schools=[school], rows=rows, seed=seed)):
            out.write(pupil_xml(pupil, FIRST[n % len(FIRST)], LAST[n % len(LAST)]))
        out.write(TAIL)
