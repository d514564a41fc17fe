"""The writing of an upload every one of whose pupils is new to its programme: the first file
of a programme, as it starts. Nothing is stored to compare or link to, so rather than staging
the kept rows and merging them (staging.Merge), each table is loaded by a COPY straight from
the kept rows, as the benchmark's floor loads them: the pupils with ids taken beforehand from
their sequence, then their year's details and their results, which link to those ids. A COPY
writes its rows a page at a time, where an INSERT ... SELECT writes them one by one.

PostgreSQL only (SQLite has no COPY, and there the merge is fast enough), and only while
nothing the preview counted has changed: upload_summary.at_import decides."""

import io
from itertools import repeat

from django.db import connection

from .kept_rows import read_kept
from .models import AssessmentUpload
from .staging import PY, Merge, P, R, TextReader, copy_from

CHUNK = 1 << 20  # characters of kept rows turned into a COPY's lines at a time
# Each table's columns, and how its line is made from an id and a kept row's columns (in
# staging.tsv_text's order: row, hash, school, year group, disadvantaged, SEN provision,
# EAL, gender, score, standard; every one already in COPY's text format).
PUPIL = "id, programme_id, upn_hash, first_upload_id"
YEAR = (
    "pupil_id, programme_id, academic_year, school_id, year_group, disadvantaged, send, eal, "
    "gender, upload_id"
)
RESULT = "pupil_id, window_id, score, standard, upload_id"


def writer(upload: AssessmentUpload, merge: Merge, *, rows: int) -> "NewPupils | None":
    """The writer of the upload's `rows` kept rows if every one is a pupil new to the
    programme, as the preview's count found (merge.stored) and the import kept; else None."""
    if connection.vendor != "postgresql" or merge.stored.get("pupils") != 0 or rows < 1:
        return None
    ids = pupil_ids(rows)
    return NewPupils(upload, merge.params, ids) if ids else None


def pupil_ids(count: int) -> range | None:
    """`count` consecutive ids from the pupils' sequence, or None if another writer took one
    in the middle of the block (whose ids are then left unused, as a rolled-back insert
    leaves its own)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(id), max(id) FROM (SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
            "AS id FROM generate_series(1, %s)) block",
            [P, count],
        )
        first, last = cursor.fetchone()
    return range(first, last + 1) if last - first + 1 == count else None


class NewPupils:
    """The three COPYs of new pupils, each reading the kept rows afresh (they are read as
    the server writes, so memory stays that of a chunk)."""

    def __init__(self, upload: AssessmentUpload, params: dict, ids: range):
        self.upload, self.ids = upload, ids
        programme, upload_id = str(params["programme"]), str(upload.pk)
        year, window = str(params["year"]), str(params["window"])

        def pupil(ids, c, n):
            return zip(ids, repeat(programme, n), c[1], repeat(upload_id, n), strict=True)

        def pupil_year(ids, c, n):
            constants = repeat(programme, n), repeat(year, n)
            return zip(ids, *constants, *c[2:8], repeat(upload_id, n), strict=True)

        def result(ids, c, n):
            return zip(ids, repeat(window, n), c[8], c[9], repeat(upload_id, n), strict=True)

        self.tables = [(P, PUPIL, pupil), (PY, YEAR, pupil_year), (R, RESULT, result)]

    def apply(self) -> None:
        for table, columns, lines in self.tables:
            with self.upload.staged.open("rb") as kept, read_kept(kept) as rows:
                text = io.TextIOWrapper(rows, encoding="utf-8")
                reader = TextReader(self._texts(text, lines))
                with connection.cursor() as cursor:
                    copied = copy_from(cursor, f"COPY {table} ({columns}) FROM STDIN", reader)
            # The preview counted the rows it kept: any other number is a fault, not a file's.
            if copied != len(self.ids):
                raise RuntimeError(f"{copied} rows kept for {table}, {len(self.ids)} counted")

    def _texts(self, text: io.TextIOWrapper, lines):
        """A COPY's lines for the kept rows, a chunk at a time, with the i-th row's pupil
        taking the i-th id."""
        ids, pending = iter(map(str, self.ids)), ""
        while chunk := text.read(CHUNK):
            whole, _, pending = (pending + chunk).rpartition("\n")
            if whole:
                yield self._chunk(whole.split("\n"), ids, lines)
        if pending:
            yield self._chunk([pending], ids, lines)

    @staticmethod
    def _chunk(rows: list[str], ids, lines) -> str:
        columns = list(zip(*(row.split("\t") for row in rows), strict=True))
        made = lines([next(ids) for _ in rows], columns, len(rows))
        return "\n".join(map("\t".join, made)) + "\n"
