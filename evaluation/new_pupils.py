"""The writing of an upload every one of whose pupils is new to its programme: the first file
of a programme, as it starts. Nothing is stored to compare or link to, so rather than staging
the kept rows and merging them (staging.Merge), each table is loaded by a COPY straight from
the kept rows, as the benchmark's floor loads them: the pupils with ids taken beforehand from
their sequence, then their year's details and their results, which link to those ids. A COPY
writes its rows a page at a time, where an INSERT ... SELECT writes them one by one.

PostgreSQL only (SQLite has no COPY, and there the merge is fast enough), and only while
nothing the preview counted has changed: upload_summary.at_import decides."""

import io
import tempfile
from typing import BinaryIO

from django.db import connection

from .kept_rows import read_kept
from .models import AssessmentUpload
from .staging import PY, Merge, P, R, TextReader, copy_from

CHUNK = 1 << 20  # characters of kept rows turned into a COPY's lines at a time
# Each table's columns, as NewPupils._chunk writes its lines (from a kept row's columns, every
# one already in COPY's text format).
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
        # Named first: in the statement below the name would be looked up for every id.
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [P])
        (sequence,) = cursor.fetchone()
        cursor.execute(
            "SELECT min(id), max(id) FROM (SELECT nextval(%s::regclass) AS id "
            "FROM generate_series(1, %s)) block",
            [sequence, count],
        )
        first, last = cursor.fetchone()
    return range(first, last + 1) if last - first + 1 == count else None


class NewPupils:
    """The three COPYs of new pupils. The kept rows are read once, as the server writes the
    pupils: each chunk's pupils go to the COPY, and its pupils' years and results to files
    of their own, which the next two COPYs read as they are (so memory stays that of a
    chunk, and no row is taken apart twice)."""

    def __init__(self, upload: AssessmentUpload, params: dict, ids: range):
        self.upload, self.ids = upload, ids
        upload_id = str(upload.pk)
        # Each line's constant parts: a pupil's programme and upload, a pupil year's
        # programme and academic year, a result's window.
        self.pupil = f"\t{params['programme']}\t", f"\t{upload_id}"
        self.year = f"\t{params['programme']}\t{params['year']}\t", f"\t{upload_id}"
        self.result = f"\t{params['window']}\t", f"\t{upload_id}"

    def apply(self) -> None:
        with tempfile.TemporaryFile() as years, tempfile.TemporaryFile() as results:
            with self.upload.staged.open("rb") as kept, read_kept(kept) as rows:
                text = io.TextIOWrapper(rows, encoding="utf-8")
                self._copy(P, PUPIL, TextReader(self._pupils(text, years, results)))
            for table, columns, file in ((PY, YEAR, years), (R, RESULT, results)):
                file.seek(0)
                self._copy(table, columns, file)

    def _copy(self, table: str, columns: str, source) -> None:
        with connection.cursor() as cursor:
            copied = copy_from(cursor, f"COPY {table} ({columns}) FROM STDIN", source)
        # The preview counted the rows it kept: any other number is a fault, not a file's.
        if copied != len(self.ids):
            raise RuntimeError(f"{copied} rows kept for {table}, {len(self.ids)} counted")

    def _pupils(self, text: io.TextIOWrapper, years: BinaryIO, results: BinaryIO):
        """The pupils' lines, a chunk of kept rows at a time, the i-th row's pupil taking
        the i-th id; the same rows' years and results are written to their files."""
        ids, pending = iter(map(str, self.ids)), ""
        while chunk := text.read(CHUNK):
            whole, _, pending = (pending + chunk).rpartition("\n")
            if whole:
                yield self._chunk(whole.split("\n"), ids, years, results)
        if pending:
            yield self._chunk([pending], ids, years, results)

    def _chunk(self, rows: list[str], ids, years: BinaryIO, results: BinaryIO) -> str:
        # A kept row is: row, hash, then school to gender (the pupil year's columns, in
        # YEAR's order), then score and standard.
        row_ids = [next(ids) for _ in rows]
        heads = [row.split("\t", 2) for row in rows]
        tails = [head[2].rsplit("\t", 2) for head in heads]
        (before, after), made = self.year, zip(row_ids, tails, strict=True)
        years.write("".join([f"{i}{before}{t[0]}{after}\n" for i, t in made]).encode())
        (before, after), made = self.result, zip(row_ids, tails, strict=True)
        results.write("".join([f"{i}{before}{t[1]}\t{t[2]}{after}\n" for i, t in made]).encode())
        (before, after), made = self.pupil, zip(row_ids, heads, strict=True)
        return "".join([f"{i}{before}{h[1]}{after}\n" for i, h in made])
