"""A CSV file's rows, read a block at a time, with no Python call per line: csv.reader pulls
its lines from lists that a block at a time fills, so that a million rows cost the reader's
own time and little more (the per-line reading was most of a file's check).

However a file is shaped, no row is read whole if it is longer than UPLOAD_MAX_ROW_CHARS:
csv.reader would hold a row of any length in memory, and make a string of each of its
fields. A line is never longer than the limit and a block; a row of many lines (a quoted
field may hold line breaks) is measured line by line as the reader takes them."""

import csv
import itertools
import re
from collections.abc import Iterator

from django.conf import settings

from .upload_limits import UnreadableFile, cell_too_long, row_too_long, too_many_columns

BLOCK = 64 * 1024  # characters read at a time
# Characters at which str.splitlines ends a line but a file's reader does not (a form feed
# in a field must not end its row): a block holding one is split at CR and LF only.
OTHER_BREAKS = ("\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _split(text: str) -> list[str]:
    """The lines of text with their endings, split where readline(newline="") would."""
    if any(mark in text for mark in OTHER_BREAKS):
        return LINES.findall(text)
    return text.splitlines(keepends=True)


class CsvRows:
    """The rows of a text stream (opened with newline=""), each a list of strings, once its
    length, width and longest field are within the limits. Rows are numbered from 1, the
    header's."""

    def __init__(self, text, dialect):
        self.text = text
        self.limit = settings.UPLOAD_MAX_ROW_CHARS
        self.cell = settings.UPLOAD_MAX_CELL_CHARS
        self.columns = settings.UPLOAD_MAX_COLUMNS
        self.reader = csv.reader(itertools.chain.from_iterable(self._blocks()), dialect)
        self.rows = 0  # rows read whole
        self.ended = 0  # the lines those rows took (the reader's line_num after the last)
        self.first = 0  # the line whose length lengths[0] is
        self.lengths: list[int] = []  # of the lines handed to the reader from `first` on
        self.handed = 0  # lines handed to the reader
        self.wide_until = 0  # the last line handed over that is longer than a cell may be

    def _blocks(self) -> Iterator[list[str]]:
        """Lists of lines for the reader. The generator goes on only once the reader has
        taken every line it was given: what lies past the last whole row is one unfinished
        row, measured there; a line over the limit is held back until then, so that the
        message names the row it is in."""
        carry = ""
        while block := self.text.read(BLOCK):
            lines = _split(carry + block)
            carry = lines.pop()  # it may go on in the next block (a CR may be half a CRLF)
            too_long = len(carry) > self.limit
            longest = max(map(len, lines), default=0)
            if longest > self.limit:
                too_long, lines = True, lines[: self._first_over(lines, self.limit)]
            if longest > self.cell:
                self.wide_until = self.handed + self._last_over(lines, self.cell) + 1
            self.lengths.extend(map(len, lines))
            self.handed += len(lines)
            yield lines
            del self.lengths[: self.ended - self.first]
            self.first = self.ended
            if too_long or sum(self.lengths) + len(carry) > self.limit:
                raise row_too_long(self.rows + 1)
        if carry:
            self.lengths.append(len(carry))
            self.wide_until = self.handed + 1 if len(carry) > self.cell else self.wide_until
            yield [carry]

    @staticmethod
    def _first_over(lines: list[str], limit: int) -> int:
        return next(i for i, line in enumerate(lines) if len(line) > limit)

    @staticmethod
    def _last_over(lines: list[str], limit: int) -> int:
        return max((i for i, line in enumerate(lines) if len(line) > limit), default=-1)

    def __iter__(self) -> Iterator[list[str]]:
        try:
            for row in self.reader:
                end = self.reader.line_num
                # A row of one line not over the cell limit is within every limit: its
                # fields are shorter than the line, and no line handed over is too long.
                if end - self.ended > 1 or end <= self.wide_until:
                    self._check(row, end)
                self.ended, self.rows = end, self.rows + 1
                if len(row) > self.columns:
                    raise too_many_columns(self.rows)
                yield row
        except csv.Error as error:
            raise UnreadableFile(f"Row {self.rows + 1} cannot be read as CSV: {error}.") from error

    def _check(self, row: list[str], end: int) -> None:
        if sum(self.lengths[self.ended - self.first : end - self.first]) > self.limit:
            raise row_too_long(self.rows + 1)
        if row and max(map(len, row)) > self.cell:
            widest = 1 + max(range(len(row)), key=lambda i: len(row[i]))
            raise cell_too_long(self.rows + 1, widest)
