"""The staged text of clean rows, written a column at a time, reads back as the rows: what
the preview keeps is what the import merges."""

from decimal import Decimal

from evaluation.staged_text import parse_line, tsv_text
from evaluation.validation import CleanRow

ROWS = [
    CleanRow(2, "a" * 64, 7, 0, True, "N", None, "", Decimal("104.0"), ""),
    CleanRow(3, "b" * 64, 7, 6, False, "E", True, "F", None, "EXS"),
    CleanRow(5, "c" * 64, 12, 13, False, "K", False, "M", Decimal("80.5"), "WTS"),
]


def _columns(rows):
    return [list(column) for column in zip(*rows, strict=True)]


def test_each_line_reads_back_as_its_row():
    lines = tsv_text(_columns(ROWS)).splitlines()
    assert [parse_line(line) for line in lines] == [
        (2, "a" * 64, 7, 0, True, "N", None, "", "104.0", ""),
        (3, "b" * 64, 7, 6, False, "E", True, "F", None, "EXS"),
        (5, "c" * 64, 12, 13, False, "K", False, "M", "80.5", "WTS"),
    ]


def test_it_is_copys_text_format():
    assert tsv_text(_columns(ROWS[:2])) == (
        f"2\t{'a' * 64}\t7\t0\tt\tN\t\\N\t\t104.0\t\n3\t{'b' * 64}\t7\t6\tf\tE\tt\tF\t\\N\tEXS\n"
    )


def test_a_chunk_with_no_clean_row_is_no_text():
    assert tsv_text([[] for _ in CleanRow._fields]) == ""
