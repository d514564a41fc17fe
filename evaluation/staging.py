"""Set-based writing of validated results: rows are loaded into a temporary staging table
(PostgreSQL COPY; batched inserts on SQLite), then merged into pupils, pupil years and results
by a handful of SQL statements, whatever the number of rows. Every change to an existing row
is first copied to a revision table, so that an upload can be rolled back whole."""

import io
from collections.abc import Iterable
from typing import BinaryIO

from django.db import connection

from programmes.models import ComparisonSchool, Enrolment

from .models import (
    AssessmentUpload,
    Pupil,
    PupilYear,
    PupilYearRevision,
    Result,
    ResultRevision,
)
from .staged_text import TextReader, parse_line

STAGING = "assessment_staging"
# The staged rows with their pupil's id, once every pupil exists.
LINKED = "assessment_staging_linked"
PUPILS_LOCK = (7_202_512, 0)  # advisory lock: "pupils are being linked to, or deleted"
BATCH = 10_000

P = Pupil._meta.db_table
PY = PupilYear._meta.db_table
R = Result._meta.db_table
RR = ResultRevision._meta.db_table
PYR = PupilYearRevision._meta.db_table


def differs(a: str, b: str) -> str:
    """SQL for "a is not b", treating NULLs as values (portable IS DISTINCT FROM)."""
    return f"({a} <> {b} OR ({a} IS NULL) <> ({b} IS NULL))"


def _create(cursor, postgres: bool) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    # Hashes compare bytes, as the pupil table's do (see Pupil.upn_hash).
    collate = ' COLLATE "C"' if postgres else ""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGING} (row_no integer, upn_hash varchar(64){collate}, "
        "school_id bigint, year_group smallint, disadvantaged boolean, send varchar(1), "
        "eal boolean, gender varchar(1), score numeric(6, 1), standard varchar(3))"
        + (" ON COMMIT DROP" if postgres else "")
    )


def stage(texts: Iterable[str]) -> None:
    """Load staged text (lines from tsv_text, any number of whole lines to a piece) into a
    fresh staging table; call in a transaction."""
    if connection.vendor != "postgresql":
        _insert(texts)
        return
    _copy(TextReader(texts))


def stage_kept(file: BinaryIO) -> None:
    """Load kept staged text (see kept_rows), read as bytes, into a fresh staging table;
    call in a transaction."""
    if connection.vendor != "postgresql":
        _insert(io.TextIOWrapper(file, encoding="utf-8"))
        return
    _copy(file)


def _copy(source) -> None:
    with connection.cursor() as cursor:
        _create(cursor, postgres=True)
        # The merge joins the staged rows to a million pupils: let them hash in memory.
        cursor.execute("SET LOCAL work_mem = '128MB'")
        copy_from(cursor, f"COPY {STAGING} FROM STDIN WITH (FORMAT text)", source)


def copy_from(cursor, sql: str, source) -> int:
    """Run a COPY ... FROM STDIN from a file, or a TextReader; the rows copied. What a
    reader's iterator raised is raised as it was, rather than as the server's cancel."""
    try:
        cursor.cursor.copy_expert(sql, source, size=1 << 20)
    except Exception:
        if isinstance(source, TextReader) and source.error is not None:
            raise source.error from None
        raise
    return cursor.cursor.rowcount


def _insert(texts: Iterable[str]) -> None:
    """SQLite has no COPY: the lines are parsed and inserted in batches."""
    insert = f"INSERT INTO {STAGING} VALUES ({', '.join(['%s'] * 10)})"
    with connection.cursor() as cursor:
        _create(cursor, postgres=False)
        batch = []
        for line in (line for text in texts for line in text.splitlines()):
            batch.append(parse_line(line))
            if len(batch) == BATCH:
                cursor.executemany(insert, batch)
                batch = []
        cursor.executemany(insert, batch)


def hold_pupils(*, exclusive: bool = False) -> None:
    """Results and pupil years link to pupils without a database constraint (see
    evaluation.models). An import holds this lock shared from before it looks its pupils up
    until it commits; whatever deletes pupils holds it exclusively, so that no pupil is
    deleted while an import links to it. (SQLite lets one writer at a time in any case.)"""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", PUPILS_LOCK)


def staged_outside(programme_id: int, limit: int) -> list[tuple[int, int]]:
    """(row, school id) of staged rows whose school does not take part in the programme."""
    enrolment = Enrolment._meta.db_table
    comparison = ComparisonSchool._meta.db_table
    sql = f"""
        SELECT s.row_no, s.school_id FROM {STAGING} s
        WHERE NOT EXISTS (SELECT 1 FROM {enrolment} e
                          WHERE e.school_id = s.school_id AND e.programme_id = %(programme)s)
          AND NOT EXISTS (SELECT 1 FROM {comparison} c
                          WHERE c.school_id = s.school_id AND c.programme_id = %(programme)s)
        ORDER BY s.row_no LIMIT {int(limit)}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"programme": programme_id})
        return cursor.fetchall()


def staged_scores_outside(low, high, limit: int) -> tuple[int, list[tuple]]:
    """How many staged rows have a score outside low to high, and (row, score) of the first."""
    outside = f"FROM {STAGING} WHERE score < %(low)s OR score > %(high)s"
    params = {"low": low, "high": high}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {outside}", params)
        count = cursor.fetchone()[0]
        if not count:
            return 0, []
        cursor.execute(f"SELECT row_no, score {outside} ORDER BY row_no LIMIT {int(limit)}", params)
        return count, cursor.fetchall()


class Merge:
    """The SQL that compares and merges the staging table for one upload. Fields whose column
    the file did not have (EAL, gender, score or standard) keep what is stored. Only the
    programme's own pupils are looked at: the staged hashes are the programme's pseudonyms,
    and every join to pupils names the programme too."""

    def __init__(self, upload: AssessmentUpload, *, columns: set[str], academic_year: int):
        self.params = {
            "upload": upload.pk,
            "window": upload.window_id,
            "programme": upload.window.programme_id,
            "year": academic_year,
        }
        self.year_fields = ["school_id", "year_group", "disadvantaged", "send"] + [
            field for field in ("eal", "gender") if field in columns
        ]
        self.result_fields = [field for field in ("score", "standard") if field in columns]
        # How many staged rows' pupils already have a result in the window, a year's details
        # or a pupil at all, as the summary counted them under the programme's lock; until
        # it has, the merge looks for each as if some did.
        self.stored: dict[str, int] = {}
        self.analyzed = False

    def _analyze(self) -> None:
        """Statistics of the staged rows, for the planner to join them to a programme's
        pupils (worked out once, and only when they are joined: a tenth of a second for a
        million rows)."""
        if not self.analyzed and connection.vendor == "postgresql":
            self._run(f"ANALYZE {STAGING}")
        self.analyzed = True

    def _changed(self, fields: list[str], table: str) -> str:
        return " OR ".join(differs(f"{table}.{field}", f"s.{field}") for field in fields)

    def _run(self, sql: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return cursor.rowcount

    def summary(self) -> list[dict]:
        """Per school: rows, new pupils, and new, updated and unchanged results. A row counts
        as updated if its result or its pupil's details for the year change."""
        found = self._counted() if self._has_pupils() else self._counted_all_new()
        self.stored = {
            "pupils": sum(rows - new_pupils for _, rows, new_pupils, *_ in found),
            "results": sum(rows - created for _, rows, _, created, *_ in found),
            "years": sum(years for *_, years in found),
        }
        return [
            {"school_id": school_id, "rows": rows, "new_pupils": new_pupils,
             "created": created, "updated": updated, "unchanged": rows - created - updated}
            for school_id, rows, new_pupils, created, updated, _ in found
        ]  # fmt: skip

    def _has_pupils(self) -> bool:
        return Pupil.objects.filter(programme_id=self.params["programme"]).exists()

    def _counted_all_new(self) -> list[tuple]:
        """What _counted gives for a programme with no pupils yet (its first file): every
        row a new pupil with a new result, and nothing to join."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT school_id, COUNT(*) FROM {STAGING} GROUP BY school_id")
            return [(school, rows, rows, rows, 0, 0) for school, rows in cursor]

    def _counted(self) -> list[tuple]:
        """Per school: rows, new pupils, new results, updated results, stored pupil years."""
        self._analyze()
        result_changed = self._changed(self.result_fields, "r")
        year_changed = self._changed(self.year_fields, "py")
        sql = f"""
            SELECT s.school_id, COUNT(*),
                SUM(CASE WHEN p.id IS NULL THEN 1 ELSE 0 END),
                SUM(CASE WHEN r.id IS NULL THEN 1 ELSE 0 END),
                SUM(CASE WHEN r.id IS NOT NULL AND (py.id IS NULL OR {result_changed}
                    OR {year_changed}) THEN 1 ELSE 0 END),
                SUM(CASE WHEN py.id IS NULL THEN 0 ELSE 1 END)
            FROM {STAGING} s
            LEFT JOIN {P} p ON p.programme_id = %(programme)s AND p.upn_hash = s.upn_hash
            LEFT JOIN {R} r ON r.pupil_id = p.id AND r.window_id = %(window)s
            LEFT JOIN {PY} py ON py.pupil_id = p.id AND py.academic_year = %(year)s
            GROUP BY s.school_id
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return [(school, rows, *map(int, counts)) for school, rows, *counts in cursor]

    def _none_stored(self, kind: str) -> bool:
        return self.stored.get(kind) == 0

    def apply(self) -> None:
        # The validator lets a pupil into a file once; rows go in index order, so that each
        # index is written page by page rather than all over. What the summary found none
        # of (in a new programme, pupils; in a new window, results) is not looked for.
        self._analyze()
        new = "" if self._none_stored("pupils") else (
            f"WHERE NOT EXISTS (SELECT 1 FROM {P} p WHERE p.programme_id = %(programme)s "
            "AND p.upn_hash = s.upn_hash)"
        )  # fmt: skip
        self._run(
            f"INSERT INTO {P} (programme_id, upn_hash, first_upload_id) "
            f"SELECT %(programme)s, s.upn_hash, %(upload)s FROM {STAGING} s {new} "
            "ORDER BY s.upn_hash"
        )
        self._run(f"DROP TABLE IF EXISTS {LINKED}")
        self._run(
            f"CREATE TEMPORARY TABLE {LINKED} AS SELECT s.*, p.id AS pupil_id "
            f"FROM {STAGING} s JOIN {P} p "
            "ON p.programme_id = %(programme)s AND p.upn_hash = s.upn_hash"
        )
        self._merge(
            table=PY,
            stored="years",
            revisions=PYR,
            revision_key="pupil_year_id",
            fields=self.year_fields,
            revision_fields=["school_id", "year_group", "disadvantaged", "send", "eal", "gender"],
            match="t.pupil_id = s.pupil_id AND t.academic_year = %(year)s",
            insert_fields={"pupil_id": "s.pupil_id", "programme_id": "%(programme)s",
                           "academic_year": "%(year)s",
                           "school_id": "s.school_id", "year_group": "s.year_group",
                           "disadvantaged": "s.disadvantaged", "send": "s.send",
                           "eal": "s.eal", "gender": "COALESCE(s.gender, '')"},
        )  # fmt: skip
        self._merge(
            table=R,
            stored="results",
            revisions=RR,
            revision_key="result_id",
            fields=self.result_fields,
            revision_fields=["score", "standard"],
            match="t.pupil_id = s.pupil_id AND t.window_id = %(window)s",
            insert_fields={"pupil_id": "s.pupil_id", "window_id": "%(window)s",
                           "score": "s.score", "standard": "COALESCE(s.standard, '')"},
        )  # fmt: skip
        self._run(f"DROP TABLE {LINKED}")

    def _merge(self, *, table, stored, revisions, revision_key, fields, revision_fields, match,
               insert_fields) -> None:  # fmt: skip
        columns, values = ", ".join(insert_fields), ", ".join(insert_fields.values())
        insert = f"INSERT INTO {table} ({columns}, upload_id) SELECT {values}, %(upload)s "
        if self._none_stored(stored):
            self._run(f"{insert} FROM {LINKED} s ORDER BY s.pupil_id")
            return
        changed = self._changed(fields, "t")
        kept = ", ".join(f"t.{field}" for field in revision_fields)
        self._run(
            f"INSERT INTO {revisions} (upload_id, {revision_key}, {', '.join(revision_fields)}, "
            f"previous_upload_id) SELECT %(upload)s, t.id, {kept}, t.upload_id "
            f"FROM {LINKED} s JOIN {table} t ON {match} WHERE {changed}"
        )
        assignments = ", ".join(f"{field} = s.{field}" for field in fields)
        self._run(
            f"UPDATE {table} AS t SET {assignments}, upload_id = %(upload)s FROM {LINKED} s "
            f"WHERE {match} AND ({changed})"
        )
        self._run(
            f"{insert} FROM {LINKED} s WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {match}) "
            "ORDER BY s.pupil_id"
        )


def roll_back(upload: AssessmentUpload) -> None:
    """Undo everything an upload wrote; call inside a transaction, and only for the latest
    upload of its programme's academic year (so nothing later builds on it)."""
    params = {"upload": upload.pk}
    hold_pupils(exclusive=True)
    statements = [
        f"DELETE FROM {R} WHERE upload_id = %(upload)s AND id NOT IN "
        f"(SELECT result_id FROM {RR} WHERE upload_id = %(upload)s)",
        f"UPDATE {R} AS t SET score = v.score, standard = v.standard, "
        f"upload_id = v.previous_upload_id FROM {RR} v "
        f"WHERE v.result_id = t.id AND v.upload_id = %(upload)s",
        f"DELETE FROM {PY} WHERE upload_id = %(upload)s AND id NOT IN "
        f"(SELECT pupil_year_id FROM {PYR} WHERE upload_id = %(upload)s)",
        f"UPDATE {PY} AS t SET school_id = v.school_id, year_group = v.year_group, "
        f"disadvantaged = v.disadvantaged, send = v.send, eal = v.eal, gender = v.gender, "
        f"upload_id = v.previous_upload_id FROM {PYR} v "
        f"WHERE v.pupil_year_id = t.id AND v.upload_id = %(upload)s",
        f"DELETE FROM {P} WHERE first_upload_id = %(upload)s "
        f"AND NOT EXISTS (SELECT 1 FROM {R} r WHERE r.pupil_id = {P}.id) "
        f"AND NOT EXISTS (SELECT 1 FROM {PY} y WHERE y.pupil_id = {P}.id)",
        f"DELETE FROM {RR} WHERE upload_id = %(upload)s",
        f"DELETE FROM {PYR} WHERE upload_id = %(upload)s",
    ]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, params)
