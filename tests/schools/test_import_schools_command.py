from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from schools.models import School

from .gias import gias_csv, school_row

pytestmark = pytest.mark.django_db


def test_it_imports_and_prints_the_counts(tmp_path):
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(gias_csv([school_row(100001), school_row(100002)]))
    out = StringIO()
    call_command("import_schools", str(path), stdout=out)
    call_command("import_schools", str(path), stdout=out)
    assert out.getvalue().splitlines() == [
        "created 2, updated 0, unchanged 0",
        "created 0, updated 0, unchanged 2",
    ]


def test_it_fails_listing_the_rows_to_fix(tmp_path):
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(gias_csv([school_row(100001), school_row("x")]))
    err = StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 row\(s\) need fixing"):
        call_command("import_schools", str(path), stderr=err)
    assert err.getvalue() == "Row 3, column URN ('x'): a URN is a 6-digit number\n"
    assert not School.objects.exists()


def test_it_says_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*nothing.csv: No such file"):
        call_command("import_schools", str(tmp_path / "nothing.csv"))
