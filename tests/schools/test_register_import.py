from decimal import Decimal

import pytest

from schools.models import LocalAuthority, School
from schools.register import RegisterInvalid
from schools.services import schools_upsert_from_register

from .gias import HEADER, gias_csv, school_row

pytestmark = pytest.mark.django_db


def _errors(content: bytes) -> list[tuple[int, str, str]]:
    with pytest.raises(RegisterInvalid) as invalid:
        schools_upsert_from_register(content=content)
    return [(error.row, error.column, error.reason) for error in invalid.value.errors]


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
def test_it_reads_a_gias_export_in_either_encoding(encoding):
    outcome = schools_upsert_from_register(content=gias_csv([school_row()], encoding))
    assert str(outcome) == "created 1, updated 0, unchanged 0"
    school = School.objects.select_related("local_authority").get(urn=100001)
    assert school.name == "St Mary’s Primary School"
    assert (school.local_authority.code, school.local_authority.name) == (316, "Newham")
    assert school.establishment_type == "Voluntary aided school"
    assert school.phase == "Primary"
    assert school.number_on_roll == 420
    assert school.percentage_fsm == Decimal("23.5")
    assert school.postcode == "E13 9AA"
    assert school.is_open


def test_it_changes_nothing_on_a_second_import_and_updates_what_changed():
    rows = [school_row(100001), school_row(100002, EstablishmentName="Oakfield Primary")]
    schools_upsert_from_register(content=gias_csv(rows))
    assert str(schools_upsert_from_register(content=gias_csv(rows))) == (
        "created 0, updated 0, unchanged 2"
    )
    rows[1]["EstablishmentStatus (name)"] = "Closed"
    rows.append(school_row(100003, **{"LA (code)": "202", "LA (name)": "Camden"}))
    outcome = schools_upsert_from_register(content=gias_csv(rows))
    assert str(outcome) == "created 1, updated 1, unchanged 1"
    assert not School.objects.get(urn=100002).is_open
    assert LocalAuthority.objects.count() == 2


def test_it_keeps_the_number_on_roll_empty_where_gias_gives_none():
    row = school_row(NumberOfPupils="", PercentageFSM="SUPP")
    schools_upsert_from_register(content=gias_csv([row]))
    school = School.objects.get(urn=100001)
    assert (school.number_on_roll, school.percentage_fsm) == (None, None)


def test_it_names_every_bad_row_by_spreadsheet_row_and_writes_nothing():
    rows = [
        school_row(100001),
        school_row("12345"),
        school_row(100003, EstablishmentName=""),
        school_row(100004, NumberOfPupils="about 300", PercentageFSM="120"),
        school_row(100001),
        school_row(100006, **{"LA (code)": "31"}),
    ]
    assert _errors(gias_csv(rows)) == [
        (3, "URN", "a URN is a 6-digit number"),
        (4, "EstablishmentName", "is empty"),
        (5, "NumberOfPupils", "is not a whole number"),
        (5, "PercentageFSM", "is not a percentage from 0 to 100"),
        (6, "URN", "repeats row 2"),
        (7, "LA (code)", "an LA code is a 3-digit number"),
    ]
    assert School.objects.count() == 0
    assert LocalAuthority.objects.count() == 0


def test_it_skips_blank_rows_but_counts_them_in_row_numbers():
    content = (
        gias_csv([school_row(100001)])
        + b",,,,,,,,,,,,\r\n"
        + gias_csv([school_row("bad")]).split(b"\r\n", 1)[1]
    )
    assert _errors(content) == [(4, "URN", "a URN is a 6-digit number")]


def test_it_refuses_a_file_that_is_not_a_gias_export():
    content = b"Name,Town\r\nOakfield,London\r\n"
    assert _errors(content) == [
        (1, "", "this is not a GIAS export: it has no URN, EstablishmentName, LA (name) column")
    ]


def test_it_matches_authorities_by_name_when_the_file_has_no_codes():
    LocalAuthority.objects.create(code=316, name="Newham")
    header = [column for column in HEADER if column != "LA (code)"]
    rows = [school_row(100001), school_row(100002, **{"LA (name)": "Atlantis"})]
    assert _errors(gias_csv(rows, header=header)) == [
        (3, "LA (name)", "is not a local authority we know, and the file has no LA (code)")
    ]
    schools_upsert_from_register(content=gias_csv(rows[:1], header=header))
    assert School.objects.get().local_authority.code == 316


def test_it_refuses_a_code_that_contradicts_a_known_authority():
    LocalAuthority.objects.create(code=316, name="Newham")
    assert _errors(gias_csv([school_row(**{"LA (code)": "999"})])) == [
        (2, "LA (code)", "we hold Newham with code 316; the file says 999")
    ]


def test_it_imports_two_thousand_schools_set_based(django_assert_max_num_queries):
    rows = [
        school_row(100000 + n, **{"LA (code)": str(201 + n % 13), "LA (name)": f"LA {n % 13}"})
        for n in range(2000)
    ]
    # Batched, not per row: SQLite's limit on bound parameters splits the inserts into ~20.
    with django_assert_max_num_queries(30):
        outcome = schools_upsert_from_register(content=gias_csv(rows))
    assert outcome.created == 2000
    assert School.objects.count() == 2000
