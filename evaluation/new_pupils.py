"""The writing of an upload every one of whose pupils is new to its programme: the first file
of a programme, as it starts. Nothing is stored to compare or link to, so rather than staging
the kept rows and merging them (staging.Merge), each table is loaded by a COPY straight from
the kept rows, as the benchmark's floor loads them: the pupils with ids taken beforehand from
their sequence, then their year's details and their results, which link to those ids. A COPY
writes its rows a page at a time, where an INSERT ... SELECT writes them one by one.

PostgreSQL only (SQLite has no COPY, and there the merge is fast enough), and only while
nothing the preview counted has changed: upload_summary.at_import decides."""

import io

from django.db import connection

from .kept_rows import read_kept
from .models import AssessmentUpload
from .staged_text import TextReader
from .staging import PY, Merge, P, R, copy_from

CHUNK = 1 << 20  # characters of kept rows turned into a COPY's lines at a time
# Each table's columns, as NewPupils writes its lines (from a kept row's columns, every one
# already in COPY's text format).
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
    """The three COPYs of new pupils, each reading the kept rows afresh as the server writes
    (so memory stays that of a chunk). Each takes from a kept row only what its table needs,
    so that making its lines takes less time than the server takes to write them."""

    def __init__(self, upload: AssessmentUpload, params: dict, ids: range):
        self.upload, self.ids = upload, ids
        upload_id = str(upload.pk)
        # Each line's constant parts: a pupil's programme and upload, a pupil year's
        # programme and academic year, a result's window.
        self.pupil = f"\t{params['programme']}\t", f"\t{upload_id}\n"
        self.year = f"\t{params['programme']}\t{params['year']}\t", f"\t{upload_id}\n"
        self.result = f"\t{params['window']}\t", f"\t{upload_id}\n"

    def apply(self) -> None:
        tables = ((P, PUPIL, self._pupils), (PY, YEAR, self._years), (R, RESULT, self._results))
        for table, columns, lines in tables:
            with self.upload.staged.open("rb") as kept, read_kept(kept) as rows:
                text = io.TextIOWrapper(rows, encoding="utf-8")
                with connection.cursor() as cursor:
                    sql = f"COPY {table} ({columns}) FROM STDIN"
                    copied = copy_from(cursor, sql, TextReader(self._texts(text, lines)))
            # The preview counted the rows it kept: any other number is a fault, not a file's.
            if copied != len(self.ids):
                raise RuntimeError(f"{copied} rows kept for {table}, {len(self.ids)} counted")

    def _texts(self, text: io.TextIOWrapper, lines):
        """A table's lines for the kept rows, a chunk at a time, the i-th row's pupil taking
        the i-th id."""
        ids, pending = iter(map(str, self.ids)), ""
        while chunk := text.read(CHUNK):
            whole, _, pending = (pending + chunk).rpartition("\n")
            if whole:
                rows = whole.split("\n")
                yield lines(rows, [next(ids) for _ in rows])
        if pending:
            yield lines([pending], [next(ids)])

    # A kept row is: row, hash, then school to gender (the pupil year's columns, in YEAR's
    # order), then score and standard.
    def _pupils(self, rows: list[str], ids: list[str]) -> str:
        hashes = [row.split("\t", 2)[1] for row in rows]
        return self._joined(self.pupil, ids, hashes)

    def _years(self, rows: list[str], ids: list[str]) -> str:
        years = [row.split("\t", 2)[2].rsplit("\t", 2)[0] for row in rows]
        return self._joined(self.year, ids, years)

    def _results(self, rows: list[str], ids: list[str]) -> str:
        return self._joined(self.result, ids, [row.split("\t", 8)[8] for row in rows])

    @staticmethod
    def _joined(parts: tuple[str, str], ids: list[str], middles: list[str]) -> str:
        before, after = parts
        return "".join([f"{i}{before}{m}{after}" for i, m in zip(ids, middles, strict=True)])
