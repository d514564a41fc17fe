"""Set-based writing of validated results: rows are loaded into a temporary staging table
(PostgreSQL COPY; batched inserts on SQLite), then merged into pupils, pupil years and results
by a handful of SQL statements, whatever the number of rows. Every change to an existing row
is first copied to a revision table, so that an upload can be rolled back whole."""

from collections.abc import Callable, Iterable

from django.db import connection

from .models import (
    AssessmentUpload,
    Pupil,
    PupilYear,
    PupilYearRevision,
    Result,
    ResultRevision,
)
from .validation import CleanRow

STAGING = "assessment_staging"
BATCH = 10_000

P = Pupil._meta.db_table
PY = PupilYear._meta.db_table
R = Result._meta.db_table
RR = ResultRevision._meta.db_table
PYR = PupilYearRevision._meta.db_table


def differs(a: str, b: str) -> str:
    """SQL for "a is not b", treating NULLs as values (portable IS DISTINCT FROM)."""
    return f"({a} <> {b} OR ({a} IS NULL) <> ({b} IS NULL))"


class _TsvReader:
    """A file-like view of the rows as tab-separated text, for COPY to pull from."""

    def __init__(self, rows: Iterable[CleanRow], on_row: Callable[[], None]):
        self.rows = iter(rows)
        self.on_row = on_row
        self.buffer = ""

    @staticmethod
    def _line(row: CleanRow) -> str:
        def text(value):
            if value is None:
                return "\\N"
            if isinstance(value, bool):
                return "t" if value else "f"
            return str(value)

        return "\t".join(text(value) for value in row) + "\n"

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self.buffer) < size:
            row = next(self.rows, None)
            if row is None:
                break
            self.on_row()
            self.buffer += self._line(row)
        if size < 0:
            size = len(self.buffer)
        chunk, self.buffer = self.buffer[:size], self.buffer[size:]
        return chunk

    readline = read


def stage(rows: Iterable[CleanRow], on_row: Callable[[], None] = lambda: None) -> None:
    """Load clean rows into a fresh staging table; call inside a transaction."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (row_no integer, upn_hash varchar(64), "
            "school_id bigint, year_group smallint, disadvantaged boolean, send varchar(1), "
            "eal boolean, gender varchar(1), score numeric(6, 1), standard varchar(3))"
            + (" ON COMMIT DROP" if postgres else "")
        )
        if postgres:
            cursor.cursor.copy_expert(
                f"COPY {STAGING} FROM STDIN WITH (FORMAT text)", _TsvReader(rows, on_row)
            )
            cursor.execute(f"ANALYZE {STAGING}")
        else:
            insert = f"INSERT INTO {STAGING} VALUES ({', '.join(['%s'] * 10)})"
            batch = []
            for row in rows:
                on_row()
                batch.append(
                    tuple(
                        str(v) if v is not None and not isinstance(v, (bool, int, str)) else v
                        for v in row
                    )
                )
                if len(batch) == BATCH:
                    cursor.executemany(insert, batch)
                    batch = []
            cursor.executemany(insert, batch)
        cursor.execute(f"CREATE INDEX {STAGING}_hash ON {STAGING} (upn_hash)")


class Merge:
    """The SQL that compares and merges the staging table for one upload. Fields whose column
    the file did not have (EAL, gender, score or standard) keep what is stored."""

    def __init__(self, upload: AssessmentUpload, *, columns: set[str], academic_year: int):
        self.params = {"upload": upload.pk, "window": upload.window_id, "year": academic_year}
        self.year_fields = ["school_id", "year_group", "disadvantaged", "send"] + [
            field for field in ("eal", "gender") if field in columns
        ]
        self.result_fields = [field for field in ("score", "standard") if field in columns]

    def _changed(self, fields: list[str], table: str) -> str:
        return " OR ".join(differs(f"{table}.{field}", f"s.{field}") for field in fields)

    def _run(self, sql: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return cursor.rowcount

    def summary(self) -> list[dict]:
        """Per school: rows, new pupils, and new, updated and unchanged results. A row counts
        as updated if its result or its pupil's details for the year change."""
        result_changed = self._changed(self.result_fields, "r")
        year_changed = self._changed(self.year_fields, "py")
        sql = f"""
            SELECT s.school_id, COUNT(*),
                SUM(CASE WHEN p.id IS NULL THEN 1 ELSE 0 END),
                SUM(CASE WHEN r.id IS NULL THEN 1 ELSE 0 END),
                SUM(CASE WHEN r.id IS NOT NULL AND (py.id IS NULL OR {result_changed}
                    OR {year_changed}) THEN 1 ELSE 0 END)
            FROM {STAGING} s
            LEFT JOIN {P} p ON p.upn_hash = s.upn_hash
            LEFT JOIN {R} r ON r.pupil_id = p.id AND r.window_id = %(window)s
            LEFT JOIN {PY} py ON py.pupil_id = p.id AND py.academic_year = %(year)s
            GROUP BY s.school_id
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return [
                {"school_id": school_id, "rows": rows, "new_pupils": int(new_pupils),
                 "created": int(created), "updated": int(updated),
                 "unchanged": rows - int(created) - int(updated)}
                for school_id, rows, new_pupils, created, updated in cursor.fetchall()
            ]  # fmt: skip

    def apply(self) -> None:
        joined = f"{STAGING} s JOIN {P} p ON p.upn_hash = s.upn_hash"
        self._run(
            f"INSERT INTO {P} (upn_hash, first_upload_id) SELECT DISTINCT s.upn_hash, "
            f"%(upload)s FROM {STAGING} s WHERE NOT EXISTS "
            f"(SELECT 1 FROM {P} p WHERE p.upn_hash = s.upn_hash)"
        )
        self._merge(
            table=PY,
            revisions=PYR,
            revision_key="pupil_year_id",
            fields=self.year_fields,
            revision_fields=["school_id", "year_group", "disadvantaged", "send", "eal", "gender"],
            match="t.pupil_id = p.id AND t.academic_year = %(year)s",
            insert_fields={"pupil_id": "p.id", "academic_year": "%(year)s",
                           "school_id": "s.school_id", "year_group": "s.year_group",
                           "disadvantaged": "s.disadvantaged", "send": "s.send",
                           "eal": "s.eal", "gender": "COALESCE(s.gender, '')"},
            joined=joined,
        )  # fmt: skip
        self._merge(
            table=R,
            revisions=RR,
            revision_key="result_id",
            fields=self.result_fields,
            revision_fields=["score", "standard"],
            match="t.pupil_id = p.id AND t.window_id = %(window)s",
            insert_fields={"pupil_id": "p.id", "window_id": "%(window)s", "score": "s.score",
                           "standard": "COALESCE(s.standard, '')"},
            joined=joined,
        )  # fmt: skip

    def _merge(self, *, table, revisions, revision_key, fields, revision_fields, match,
               insert_fields, joined) -> None:  # fmt: skip
        changed = self._changed(fields, "t")
        kept = ", ".join(f"t.{field}" for field in revision_fields)
        self._run(
            f"INSERT INTO {revisions} (upload_id, {revision_key}, {', '.join(revision_fields)}, "
            f"previous_upload_id) SELECT %(upload)s, t.id, {kept}, t.upload_id "
            f"FROM {joined} JOIN {table} t ON {match} WHERE {changed}"
        )
        assignments = ", ".join(f"{field} = s.{field}" for field in fields)
        self._run(
            f"UPDATE {table} AS t SET {assignments}, upload_id = %(upload)s FROM {joined} "
            f"WHERE {match} AND ({changed})"
        )
        columns, values = ", ".join(insert_fields), ", ".join(insert_fields.values())
        self._run(
            f"INSERT INTO {table} ({columns}, upload_id) SELECT {values}, %(upload)s "
            f"FROM {joined} WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {match})"
        )


def roll_back(upload: AssessmentUpload) -> None:
    """Undo everything an upload wrote; call inside a transaction, and only for the latest
    upload of its programme's academic year (so nothing later builds on it)."""
    params = {"upload": upload.pk}
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
