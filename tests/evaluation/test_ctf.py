"""Reading a Common Transfer File as the template's rows, and importing one through the
whole upload pipeline. The window's date is 22 September 2025 throughout: "ever 6" then
reaches back to 22 September 2019."""

import datetime
import io
import re
import subprocess
import sys

import pytest

from evaluation.upload_ctf import HEADER, CtfMapping, CtfTally
from evaluation.upload_file import UnreadableFile, kind_of, read_rows

from .ctf_files import BILLION_LAUGHS, XXE, CtfPupil, ctf, write_large_ctf
from .files import make_upn

DAY = datetime.date(2025, 9, 22)
KS2 = CtfMapping(DAY, "KS2")
URN = 100001


def _rows(content: bytes, mapping: CtfMapping = KS2, tally: CtfTally | None = None):
    stream = io.BytesIO(content)
    assert kind_of(stream) == "ctf"
    return list(read_rows(stream, ctf=mapping, tally=tally))


def _row(pupil: CtfPupil, **head) -> dict:
    header, row = _rows(ctf([pupil], URN, **head))
    assert header == HEADER
    return dict(zip(HEADER, row, strict=True))


@pytest.mark.parametrize("version", ["17.0", "18.0", "19.0", "20.0", "21.0", "22.0", "24.0"])
def test_every_version_since_2017_is_read(version):
    # CTF 17 still gave Gender where later versions give Sex: both are read.
    element = "Gender" if version == "17.0" else "Sex"
    row = _row(CtfPupil(7, sex="M", sex_element=element), version=version)
    assert row == {
        "UPN": make_upn(7), "URN": str(URN), "NC Year": "6", "Disadvantaged": "N",
        "SEN provision": "N", "EAL": "N", "Sex": "M", "Scaled score": "104",
        "Teacher assessment": "",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ({"version": "16.0"}, "has version '16.0'. CTF 17 (2017) and later"),
        ({"version": ""}, "has no version (Header/CTFversion)"),
    ],
)
def test_an_older_or_unversioned_file_is_refused(head, message):
    with pytest.raises(UnreadableFile, match=re.escape(message)):
        _rows(ctf([CtfPupil(1)], URN, **head))


@pytest.mark.parametrize(
    ("fsm", "expected"),
    [
        ([("2019-01-01", "2019-09-22")], "Y"),  # ended on the first day of the six years
        ([("2019-01-01", "2019-09-21")], "N"),  # ended the day before
        ([("2025-09-22", "")], "Y"),  # began on the window's date
        ([("2025-09-23", "")], "N"),  # began after it
        ([("2012-01-01", "")], "Y"),  # began long ago, never ended
        ([("2012-01-01", "2013-01-01"), ("2021-02-01", "2021-07-01")], "Y"),  # the second
        ([], "N"),
    ],
)
def test_disadvantaged_is_free_school_meals_in_the_six_years_before(fsm, expected):
    assert _row(CtfPupil(1, fsm=fsm))["Disadvantaged"] == expected


@pytest.mark.parametrize(("in_care", "expected"), [("true", "Y"), ("1", "Y"), ("false", "N")])
def test_a_looked_after_pupil_is_disadvantaged(in_care, expected):
    assert _row(CtfPupil(1, in_care=in_care))["Disadvantaged"] == expected


@pytest.mark.parametrize(
    ("sen", "expected"),
    [
        ([("2024-09-01", "2025-03-31", "K"), ("2025-04-01", "", "E")], "E"),  # changed in spring
        ([("2024-09-01", "", "K"), ("2025-10-01", "", "E")], "K"),  # the plan comes later
        ([("2023-09-01", "2024-07-31", "K")], "N"),  # support ended last year
        ([("", "", "E")], "E"),  # an older file gives no dates: its record is current
        ([], "N"),
    ],
)
def test_sen_provision_is_the_record_current_on_the_window_date(sen, expected):
    assert _row(CtfPupil(1, sen=sen))["SEN provision"] == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("ENG", "N"), ("ENB", "N"), ("POL", "Y"), ("NOT", ""), ("", "")]
)
def test_eal_is_a_first_language_other_than_english(language, expected):
    # The pupil's other language (French, at home) never counts: only the first language.
    assert _row(CtfPupil(1, language=language))["EAL"] == expected


def test_a_pupil_without_the_optional_elements_is_read():
    row = _row(CtfPupil(3, sex="", language="", year=""))
    assert [row["NC Year"], row["Disadvantaged"], row["SEN provision"], row["EAL"]] == [
        "", "N", "N", ""
    ]  # fmt: skip
    assert row["Sex"] == ""


def test_namespaces_and_a_windows_1252_declaration_read_the_same():
    pupils = [CtfPupil(n, fsm=[("2020-01-01", "")], language="POL") for n in range(3)]
    plain = _rows(ctf(pupils, URN))
    assert _rows(ctf(pupils, URN, namespace="urn:dfe:ctf:24")) == plain
    content = ctf(pupils, URN, encoding="windows-1252")
    assert "Zoë".encode("cp1252") in content  # the names really are in Windows-1252
    assert _rows(content) == plain


def test_results_go_to_the_window_as_the_mapping_says():
    results = [
        ("KS2", "2025", "MAT", "TT", "", "104"),
        ("KS2", "2024", "MAT", "TT", "", "99"),  # another year
        ("KS2", "2025", "MAT", "TA", "", "EXS"),  # another method
        ("KS1", "2021", "MAT", "TA", "", "WTS"),  # another key stage
        ("KS2", "2025", "ENG", "TT", "", "100"),  # not maths: not counted at all
    ]
    tally = CtfTally()
    mapping = CtfMapping(DAY, "KS2", year="2025", method="TT")
    content = ctf([CtfPupil(1, results=results), CtfPupil(2, results=[])], URN)
    _, row, _ = _rows(content, mapping, tally)
    assert row[-2:] == ["104", ""]
    assert tally.as_summary() == {
        "version": "24.0",
        "pupils": 2,
        "taken": 1,
        "left_out": [
            ("pupil(s) with no maths result for this assessment", 1),
            ("result(s) by another method", 1),
            ("result(s) of another key stage", 1),
            ("result(s) of another year", 1),
        ],
    }


def test_a_score_and_a_standard_both_go_and_a_second_score_is_left_out():
    results = [
        ("KS2", "2025", "MAT", "TA", "", "gds"),
        ("KS2", "2025", "MAT", "TT", "", "101"),
        ("KS2", "2025", "MAT", "TT", "", "109"),
        ("KS2", "2025", "MAT", "TT", "", "A"),  # absent
    ]
    tally = CtfTally()
    _, row = _rows(ctf([CtfPupil(1, results=results)], URN), KS2, tally)
    assert row[-2:] == ["101", "GDS"]
    assert tally.taken == 2
    assert dict(tally.left_out) == {
        "second score(s) for the same pupil": 1,
        "result(s) neither a scaled score nor PKF, WTS, EXS or GDS": 1,
    }


def test_a_pupil_without_a_result_keeps_the_row_numbers_of_the_others():
    pupils = [CtfPupil(1), CtfPupil(2, results=[]), CtfPupil(3)]
    rows = _rows(ctf(pupils, URN))
    assert rows[2] == [""] * len(HEADER)  # a blank row: the check passes over it
    assert rows[3][0] == make_upn(3)  # the 3rd Pupil is still row 4


def _twelve_with(bad: CtfPupil) -> bytes:
    return ctf([CtfPupil(n) for n in range(11)] + [bad], URN)


PATH = r"^The 12th Pupil, FSMhistory/FSMinstance"


@pytest.mark.parametrize(
    ("fsm", "message"),
    [
        ([("2020-01-01", ""), ("01/02/2021", "")],
         PATH + r"\[2\]/FSMstartDate: is not a date \(YYYY-MM-DD\)"),
        ([("", "2021-01-01")], PATH + r"\[1\]/FSMstartDate: is missing"),
        ([("2021-01-01", "2020-12-31")], PATH + r"\[1\]/FSMendDate: is before the FSMstartDate"),
    ],
)  # fmt: skip
def test_an_error_names_the_pupil_and_the_element_path(fsm, message):
    with pytest.raises(UnreadableFile, match=message):
        _rows(_twelve_with(CtfPupil(12, fsm=fsm)))


def test_a_sen_date_error_names_its_record():
    bad = CtfPupil(12, sen=[("2024-09-01", "", "K"), ("2025-13-01", "", "E")])
    with pytest.raises(UnreadableFile, match=r"^The 12th Pupil, SENhistory/SEN\[2\]/StartDate:"):
        _rows(_twelve_with(bad))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (XXE, "declares a DTD or entities"),
        (BILLION_LAUGHS, "declares a DTD or entities"),
        (b'<?xml version="1.0"?><html><body/></html>', "starts with <html>, not <CTfile>"),
    ],
)
def test_a_hostile_or_foreign_xml_file_is_refused_at_once(content, message):
    with pytest.raises(UnreadableFile, match=re.escape(message)):
        kind_of(io.BytesIO(content))


def test_a_cut_short_file_is_refused():
    content = ctf([CtfPupil(1), CtfPupil(2)], URN)[:-40]
    with pytest.raises(UnreadableFile, match="This XML file cannot be read, line 2: "):
        _rows(content)


def test_a_file_naming_no_school_is_refused():
    content = ctf([CtfPupil(1)], "")
    with pytest.raises(
        UnreadableFile, match=r"does not name its school \(Header/SourceSchool/URN\)"
    ):
        _rows(content)


def test_an_endless_element_is_refused():
    content = ctf([CtfPupil(1, year="6" * 5000)], URN)
    with pytest.raises(UnreadableFile, match="<NCyearActual> holds more than 4,096 characters"):
        _rows(content)


MEMORY = """
import datetime, resource, sys
from evaluation.upload_ctf import CtfMapping, CtfTally, ctf_rows
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tally = CtfTally()
with open(sys.argv[1], "rb") as stream:
    rows = sum(1 for _ in ctf_rows(stream, CtfMapping(datetime.date(2025, 9, 22), "KS2"), tally))
print(rows, tally.taken, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_a_file_of_100000_pupils_is_read_in_flat_memory(tmp_path):
    path = tmp_path / "large.xml"
    write_large_ctf(path, URN, 100_000)
    done = subprocess.run(
        [sys.executable, "-c", MEMORY, str(path)], capture_output=True, text=True, check=True
    )
    rows, taken, grown_kb = map(int, done.stdout.split())
    assert (rows, taken) == (100_001, 100_000)  # the header, then a row a pupil
    # The file is far larger than 30 MB; reading it holds a chunk and a pupil at a time, so
    # the process's peak grows by a few MB at most (10 MB would be a seventh of the file).
    assert path.stat().st_size > 30_000_000
    assert grown_kb < 10_000
