from decimal import Decimal

import pytest

from evaluation import pseudonym
from evaluation.models import AssessmentWindow
from evaluation.pseudonym import upn_hash
from evaluation.upload_file import Misaligned
from evaluation.validation import ResultsValidator

from .files import make_upn

URN, OTHER_URN = 100001, 100002
SCHOOLS = {URN: 11, OTHER_URN: 22}
PROGRAMME = 7


def _check(rows, header=None, *, only_school_id=None, window=None):
    header = header or ["UPN", "URN", "Year group", "Disadvantaged", "SEND", "Score"]
    validator = ResultsValidator(
        window=window or AssessmentWindow(programme_id=PROGRAMME),
        schools=SCHOOLS,
        only_school_id=only_school_id,
    )
    clean = list(validator.clean([header, *rows]))
    errors = [(e.row, e.column, e.value, e.reason) for e in validator.shown_errors]
    validator.close()
    return clean, errors


@pytest.fixture(params=["hashed here", "hashed by the helper"])
def hashing(request, monkeypatch):
    """A file's check gives the same rows and errors whichever process hashes its UPNs (a
    large file's go to a helper process: see pseudonym.ChunkPseudonyms)."""
    helper = request.param == "hashed by the helper"
    monkeypatch.setattr(pseudonym, "HELPER_ROWS", 1 if helper else 10**9)
    monkeypatch.setattr(pseudonym, "MANY_CORES", True)


def _row(**values):
    row = {"upn": make_upn(1), "urn": str(URN), "year": "2", "pp": "N", "send": "", "score": "104"}
    row.update(values)
    return list(row.values())


def test_it_turns_a_good_row_into_a_pseudonymised_clean_row():
    clean, errors = _check([_row(pp="Yes", send="k", score="104.0")])
    assert errors == []
    (row,) = clean
    assert row.upn_hash == upn_hash(make_upn(1), programme_id=PROGRAMME)
    assert make_upn(1) not in row
    assert (row.row, row.school_id, row.year_group, row.disadvantaged, row.send) == (
        2,
        11,
        2,
        True,
        "K",
    )
    assert (row.score, row.standard, row.eal, row.gender) == (Decimal("104.0"), "", None, "")


@pytest.mark.parametrize(
    "header",
    [
        ["upn", "School URN", "NC Year", "Pupil Premium", "SEN Provision", "Scaled Score"],
        ["UPN", "school_urn", "Year", "PP", "SEN", "Standardised-Score"],
        ["U P N", "URN", "YEAR_GROUP", "disadvantaged", "send", "SCORE"],
    ],
)
def test_it_finds_columns_by_their_usual_names(header):
    clean, errors = _check([_row()], header)
    assert errors == []
    assert len(clean) == 1


def test_it_reads_the_optional_columns_by_their_aliases():
    header = ["UPN", "URN", "Year", "PP", "EAL", "Sex", "Teacher Assessment"]
    row = [make_upn(1), str(URN), "R", "0", "Y", "m", "exs"]
    (clean,), errors = _check([row], header)
    assert (clean.year_group, clean.eal, clean.gender, clean.standard, clean.score) == (
        0,
        True,
        "M",
        "EXS",
        None,
    )
    assert clean.send == "N"  # no SEND column: no special provision


def test_it_refuses_a_header_it_cannot_use():
    _, errors = _check([], ["UPN", "URN", "Year", "Year group", "PP", "Name"])
    assert errors == [
        (1, "Year group", "", "two columns give the same thing: 'Year' and 'Year group'"),
        (1, "", "", "the file needs a Score or a Standard column"),
    ]
    _, errors = _check([], ["Name", "Score"])
    assert errors == [
        (1, "", "", "the file has no column for: UPN, URN, Year group, Disadvantaged")
    ]


@pytest.mark.parametrize(
    ("upn", "shown", "reason"),
    [
        ("A12345", "A123…", "a UPN has 13 characters, this has 6"),
        ("A80120000X001", "A801…", "a UPN is a letter, then 11 digits, then a digit or letter"),
        ("X000200005001", "X000…", "the UPN's local authority number does not exist"),
        (
            "A801200005001",
            "A801…",
            "the UPN's check letter does not match the rest: is it mistyped?",
        ),
        ("", "", "is empty"),
    ],
)
def test_it_explains_a_bad_upn_without_echoing_it(upn, shown, reason):
    _, errors = _check([_row(upn=upn)])
    assert errors == [(2, "UPN", shown, reason)]


def test_it_accepts_a_upn_with_spaces_or_in_lower_case():
    upn = make_upn(7)
    clean, errors = _check([_row(upn=f" {upn[:4]} {upn[4:].lower()} ")])
    assert errors == []
    assert clean[0].upn_hash == upn_hash(upn, programme_id=PROGRAMME)


def test_it_names_a_pupil_who_appears_twice():
    _, errors = _check([_row(), _row(score="99")])
    assert errors == [(3, "UPN", make_upn(1)[:4] + "…", "the same pupil is already on row 2")]


@pytest.mark.parametrize(
    ("urn", "reason"),
    [
        ("12345", "a URN is a 6-digit number"),
        ("ABC", "a URN is a 6-digit number"),
        ("999999", "is not a school in this programme"),
    ],
)
def test_it_checks_the_school(urn, reason):
    _, errors = _check([_row(urn=urn)])
    assert errors == [(2, "URN", urn, reason)]


def test_it_keeps_a_school_leader_to_their_own_school():
    _, errors = _check([_row(), _row(upn=make_upn(2), urn=str(OTHER_URN))], only_school_id=11)
    assert errors == [(3, "URN", "100002", "you can upload results for your own school only")]


@pytest.mark.parametrize(
    ("text", "year"),
    [("R", 0), ("Reception", 0), ("YR", 0), ("Year 6", 6), ("Y6", 6), ("6", 6), ("year 13", 13)],
)
def test_it_reads_year_groups_as_schools_write_them(text, year):
    clean, _ = _check([_row(year=text)])
    assert clean[0].year_group == year


@pytest.mark.parametrize("text", ["14", "Y0", "Nursery", ""])
def test_it_refuses_other_year_groups(text):
    _, errors = _check([_row(year=text)])
    assert errors == [
        (2, "Year group", text, 'a year group is R or 1 to 13 ("Year 6", "Y6" and "6" all work)')
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Y", True),
        ("yes", True),
        ("TRUE", True),
        ("1", True),
        ("N", False),
        ("No", False),
        ("false", False),
        ("0", False),
    ],
)
def test_it_reads_yes_and_no_in_every_usual_form(text, value):
    clean, _ = _check([_row(pp=text)])
    assert clean[0].disadvantaged is value


@pytest.mark.parametrize(
    ("column", "text", "reason"),
    [
        ("pp", "maybe", ("Disadvantaged", "should be Y or N")),
        ("pp", "", ("Disadvantaged", "should be Y or N")),
        ("send", "S", ("SEND", "should be N (none), K (SEN support) or E (EHC plan)")),
        ("score", "high", ("Score", "is not a number")),
        ("score", "NaN", ("Score", "is not a number")),
        ("score", "79", ("Score", "is outside this assessment's scale, 80 to 120")),
        ("score", "120.5", ("Score", "is outside this assessment's scale, 80 to 120")),
        ("score", "104.25", ("Score", "has more than one decimal place")),
        ("score", "", ("Score", "the row has neither a score nor a standard")),
    ],
)
def test_it_explains_each_bad_value(column, text, reason):
    _, errors = _check([_row(**{column: text})])
    assert errors == [(2, reason[0], text, reason[1])]


def test_it_uses_the_windows_own_scale():
    window = AssessmentWindow(programme_id=PROGRAMME, scale_min=Decimal(69), scale_max=Decimal(141))
    clean, errors = _check([_row(score="70"), _row(upn=make_upn(2), score="141")], window=window)
    assert errors == []
    assert [row.score for row in clean] == [70, 141]


def test_it_checks_the_optional_columns():
    header = ["UPN", "URN", "Year", "PP", "EAL", "Gender", "Standard"]
    _, errors = _check([[make_upn(1), str(URN), "2", "N", "perhaps", "X", "ARE"]], header)
    assert errors == [
        (2, "EAL", "perhaps", "should be Y or N"),
        (2, "Gender", "X", "should be M or F"),
        (2, "Standard", "ARE", "should be PKF, WTS, EXS or GDS"),
    ]


@pytest.mark.usefixtures("hashing")
def test_it_skips_blank_rows_and_numbers_rows_as_a_spreadsheet_does():
    clean, errors = _check([_row(), ["", "", "", "", "", ""], [], _row(upn=make_upn(2), score="x")])
    assert [row.row for row in clean] == [2]
    assert errors == [(5, "Score", "x", "is not a number")]


@pytest.mark.usefixtures("hashing")
def test_it_reads_a_file_in_chunks_as_if_it_were_one(monkeypatch):
    """Rows are checked a chunk at a time: a pupil named again in a later chunk, blank rows
    and errors on either side of a chunk's edge come out as from a single pass."""
    monkeypatch.setattr("evaluation.validation.CHUNK", 2)
    rows = [
        _row(),
        [],
        _row(upn=make_upn(2), year="Y14"),
        _row(upn=make_upn(3)),
        _row(score="99"),
        _row(upn=make_upn(2), pp="maybe", score=""),
        _row(upn=make_upn(4), score=""),
    ]
    clean, errors = _check(rows)
    assert [row.row for row in clean] == [2, 5]
    assert errors == [
        (4, "Year group", "Y14", 'a year group is R or 1 to 13 ("Year 6", "Y6" and "6" all work)'),
        (6, "UPN", make_upn(1)[:4] + "…", "the same pupil is already on row 2"),
        (7, "UPN", make_upn(2)[:4] + "…", "the same pupil is already on row 4"),
        (7, "Disadvantaged", "maybe", "should be Y or N"),
        (8, "Score", "", "the row has neither a score nor a standard"),
    ]


@pytest.mark.usefixtures("hashing")
def test_it_reports_a_misaligned_row_in_its_place_without_reading_any_of_it(monkeypatch):
    """A CSV row whose fields do not line up with the header's comes without its values (see
    upload_file): it is one error, in the order of the file, and its pupil is not counted as
    seen, since even its UPN may be another column's value."""
    monkeypatch.setattr("evaluation.validation.CHUNK", 3)
    rows = [
        _row(year="Y14"),
        Misaligned(7, 6, ","),
        _row(upn=make_upn(2), pp="maybe"),
        Misaligned(5, 6, ","),  # a chunk of misaligned rows only
        Misaligned(7, 6, ","),
        [],
        _row(upn=make_upn(3)),
    ]
    validator = ResultsValidator(window=AssessmentWindow(programme_id=PROGRAMME), schools=SCHOOLS)
    header = ["UPN", "URN", "Year group", "Disadvantaged", "SEND", "Score"]
    clean = list(validator.clean([header, *rows]))
    errors = [(e.row, e.column, e.value, e.reason) for e in validator.shown_errors]
    more = "has 7 fields, the header has 6: a value with an unquoted comma?"
    assert errors == [
        (2, "Year group", "Y14", 'a year group is R or 1 to 13 ("Year 6", "Y6" and "6" all work)'),
        (3, "", "", more),
        (4, "Disadvantaged", "maybe", "should be Y or N"),
        (5, "", "", "has 5 fields, the header has 6: a missing value, or a stray quote mark?"),
        (6, "", "", more),
    ]
    assert [row.row for row in clean] == [8]
    assert (validator.rows, validator.error_count) == (6, 5)


@pytest.mark.parametrize(("urn", "upn"), [("²00001", make_upn(1)), (str(URN), "A²" + "1" * 11)])
def test_it_refuses_digits_that_are_not_ascii_without_failing(urn, upn):
    """str.isdigit() says yes to "²", int() then fails: the file would stop being read, with
    the value in the log's traceback."""
    _, errors = _check([_row(urn=urn, upn=upn)])
    assert [(column, value) for _, column, value, _ in errors] == [
        ("URN", urn) if urn != str(URN) else ("UPN", upn[:4] + "…")
    ]


def test_it_reports_every_error_but_keeps_only_the_first_in_memory():
    validator = ResultsValidator(window=AssessmentWindow(programme_id=PROGRAMME), schools=SCHOOLS)
    rows = [[make_upn(n), str(URN), "2", "N", "", "1"] for n in range(1200)]
    assert list(validator.clean([["UPN", "URN", "Year", "PP", "SEND", "Score"], *rows])) == []
    assert validator.error_count == 1200
    assert len(validator.shown_errors) == 500
    report = validator.report_bytes().decode().splitlines()
    assert len(report) == 1201
    assert report[0] == "Row,Column,Value,Problem"
    assert report[-1] == '1201,Score,1,"is outside this assessment\'s scale, 80 to 120"'


def test_its_fast_upn_rule_agrees_with_python_stdnum():
    import random

    from stdnum.gb import upn as stdnum_upn

    from evaluation.upn import UPN_ALPHABET, valid_upns

    rng = random.Random(5)
    candidates = []
    for _ in range(20_000):
        body = f"{rng.choice([201, 316, 999, 100, 938])}{rng.randrange(10**8):08d}"
        last = rng.choice(UPN_ALPHABET + "IOS")
        first = rng.choice(UPN_ALPHABET)
        candidates.append(first + body + last)
        if last in UPN_ALPHABET:
            candidates.append(stdnum_upn.calc_check_digit(body + last) + body + last)
    # Not UPNs at all (the rule sees UPNs upper-cased): too short or long, a letter or
    # another script's digit inside.
    candidates += [
        "",
        "A",
        "A20100000001" + "Z" * 5,
        "A2010000X0012",
        "A٣01000000012",
    ]
    expected = [stdnum_upn.is_valid(candidate) for candidate in candidates]
    assert sum(expected) > 5_000
    assert valid_upns(candidates).tolist() == expected
