"""The block-at-a-time CSV reader gives the rows csv.reader gives for the whole text, wherever
its blocks fall, and refuses a row over a limit with the row's own number, as the reader of
a line at a time did."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from evaluation import upload_csv
from evaluation.upload_csv import CsvRows
from evaluation.upload_limits import UnreadableFile


def _rows(text: str) -> list[list[str]]:
    return list(CsvRows(io.StringIO(text, newline=""), csv.excel))


@pytest.fixture
def small(settings, monkeypatch):
    """Limits and blocks a few characters long, so that every case crosses blocks."""
    settings.UPLOAD_MAX_ROW_CHARS = 40
    settings.UPLOAD_MAX_CELL_CHARS = 20
    settings.UPLOAD_MAX_COLUMNS = 6
    monkeypatch.setattr(upload_csv, "BLOCK", 7)


FIELDS = st.text(alphabet='ab ,"\r\n\f\x85é', max_size=6)
ROWS = st.lists(st.lists(FIELDS, min_size=1, max_size=4), max_size=6)
ENDINGS = st.sampled_from(["\r\n", "\n", "\r"])


@hypothesis_settings(deadline=None, max_examples=300)
@given(rows=ROWS, ending=ENDINGS, block=st.integers(min_value=1, max_value=50))
def test_rows_are_those_of_the_whole_text_wherever_blocks_fall(rows, ending, block):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=ending).writerows(rows)
    text = buffer.getvalue()
    expected = list(csv.reader(io.StringIO(text, newline="")))
    original = upload_csv.BLOCK
    upload_csv.BLOCK = block
    try:
        assert _rows(text) == expected
    finally:
        upload_csv.BLOCK = original


def test_a_form_feed_or_line_separator_in_a_field_does_not_end_its_row(small):
    assert _rows("a\fb,c\u2028d\r\ne,f\r\n") == [["a\fb", "c\u2028d"], ["e", "f"]]


def test_lines_ended_by_cr_alone_are_rows(small):
    assert _rows("a,b\rc,d\re,f") == [["a", "b"], ["c", "d"], ["e", "f"]]


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ("a,b\n" + "x" * 41 + "\n", 2),  # one line over the limit
        ("a,b\nc,d\n" + "x" * 60, 3),  # the last line, with no line ending
        ('a,b\n"' + "x\n" * 25 + '",z\n', 2),  # short lines of one quoted field
        ('a,b\nc,d\n"' + "xxxxxx\n" * 8, 3),  # unfinished at the end of the file
    ],
    ids=["line", "last-line", "lines-of-a-field", "unfinished"],
)
def test_a_row_over_the_limit_is_refused_with_its_number(small, text, row):
    with pytest.raises(UnreadableFile, match=f"Row {row} is longer than 40 characters"):
        _rows(text)


def test_a_row_of_many_lines_within_the_limit_is_read(small):
    assert _rows('a,"x\ny\nz"\nb,c\n') == [["a", "x\ny\nz"], ["b", "c"]]


@pytest.mark.parametrize(
    "text", ["a,b\nc," + "x" * 21 + "\n", 'a,b\nc,"' + "xxxxx\n" * 4 + '"\n'], ids=["one", "many"]
)
def test_a_field_over_the_cell_limit_is_refused_with_its_row_and_column(small, text):
    with pytest.raises(UnreadableFile, match="Row 2, column 2 holds more than 20 characters"):
        _rows(text)


def test_a_row_of_too_many_columns_is_refused(small):
    with pytest.raises(UnreadableFile, match="Row 2 has more than 6 columns"):
        _rows("a,b\n" + "," * 6 + "\n")


def test_a_row_that_is_not_csv_names_its_row(small):
    dialect = type("Strict", (csv.excel,), {"strict": True})
    with pytest.raises(UnreadableFile, match="Row 2 cannot be read as CSV"):
        list(CsvRows(io.StringIO('a,b\n"c"d,e\n', newline=""), dialect))
