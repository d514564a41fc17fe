"""Computing and storing a programme's evaluation report: the data is read in one pass per
assessment window (binary COPY on PostgreSQL), handed to the NumPy engine, and the entries
stored for dashboards to read. A report belongs to one data version of its programme."""

import csv
import io
import json
import logging
import time
from contextlib import contextmanager

import numpy as np
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F

from programmes.models import Programme
from programmes.selectors import TAKING_PART_SQL
from schools.models import School
from workgroups.models import WorkGroup

from . import engine
from .models import (
    AssessmentWindow,
    EntryKind,
    PupilYear,
    ReportEntry,
    ReportSnapshot,
    Result,
    academic_year_of,
)

# What is read of each result and each pupil's year: name -> (SQL, PostgreSQL binary type).
# Every column is fixed-width and never null, so PostgreSQL's binary COPY reads straight into
# NumPy.
RESULT_COLUMNS = {
    "pupil": ("CAST(pupil_id AS BIGINT)", ">i8"),
    "score": ("CAST(COALESCE(score, -1000000) AS DOUBLE PRECISION)", ">f8"),
    "code": (
        "CAST(CASE standard WHEN 'PKF' THEN 1 WHEN 'WTS' THEN 2 WHEN 'EXS' THEN 3 "
        "WHEN 'GDS' THEN 4 ELSE 0 END AS SMALLINT)",
        ">i2",
    ),
}
YEAR_COLUMNS = {
    "pupil": ("CAST(pupil_id AS BIGINT)", ">i8"),
    "school": ("CAST(school_id AS BIGINT)", ">i8"),
    "year_group": ("CAST(year_group AS SMALLINT)", ">i2"),
    "disadvantaged": ("CAST(CASE WHEN disadvantaged THEN 1 ELSE 0 END AS SMALLINT)", ">i2"),
    "send": ("CAST(CASE WHEN send <> 'N' THEN 1 ELSE 0 END AS SMALLINT)", ">i2"),
    "eal": ("CAST(CASE WHEN eal IS NULL THEN -1 WHEN eal THEN 1 ELSE 0 END AS SMALLINT)", ">i2"),
    "gender": ("CAST(CASE gender WHEN 'F' THEN 1 WHEN 'M' THEN 2 ELSE 0 END AS SMALLINT)", ">i2"),
}
NO_SCORE = -1000000
logger = logging.getLogger(__name__)


def _read(table: str, columns: dict, where: str, params: list | dict) -> dict[str, np.ndarray]:
    select = ", ".join(sql for sql, _ in columns.values())
    sql = f"SELECT {select} FROM {table} WHERE {where}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _copy_binary(cursor, cursor.mogrify(sql, params).decode(), columns)
        cursor.execute(sql, params)
        rows = np.array(cursor.fetchall(), dtype=float).reshape(-1, len(columns))
        return {name: rows[:, n] for n, name in enumerate(columns)}


def _window_rows(window: AssessmentWindow) -> engine.WindowRows:
    """A window's results with their pupils' details for the year at the programme's schools
    (of all London's pupils, a programme's 45 schools have a few thousand). The two are read
    apart (each a plain scan) and joined here by pupil: faster than asking the database to join
    a million rows and send them."""
    results = _read(Result._meta.db_table, RESULT_COLUMNS, "window_id = %s", [window.pk])
    years = _read(
        PupilYear._meta.db_table,
        YEAR_COLUMNS,
        f"academic_year = %(year)s AND school_id IN ({TAKING_PART_SQL})",
        {"year": academic_year_of(window.date), "programme": window.programme_id},
    )
    order = np.argsort(years["pupil"], kind="stable")
    known = years["pupil"][order]
    at = np.searchsorted(known, results["pupil"])
    at[at == len(known)] = 0
    found = known[at] == results["pupil"] if len(known) else np.zeros(len(at), bool)
    row = order[at[found]]
    score = results["score"][found].astype(float)
    score[score == NO_SCORE] = np.nan
    return engine.WindowRows(
        slug=window.slug,
        expected=float(window.expected_threshold),
        higher=float(window.higher_threshold),
        pupil=results["pupil"][found].astype(np.int64),
        school=years["school"][row].astype(np.int64),
        year_group=years["year_group"][row].astype(np.int64),
        score=score,
        code=results["code"][found].astype(np.int64),
        disadvantaged=years["disadvantaged"][row].astype(bool),
        send=years["send"][row].astype(bool),
        eal=years["eal"][row].astype(np.int64),
        gender=years["gender"][row].astype(np.int64),
    )


def _copy_binary(cursor, query: str, columns: dict) -> dict[str, np.ndarray]:
    """PostgreSQL's binary COPY of fixed-width, never-null columns, read straight into
    NumPy: every row has the same layout, so the body is one structured array."""
    buffer = io.BytesIO()
    cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT binary)", buffer)
    data = buffer.getvalue()
    extension = int.from_bytes(data[15:19], "big")
    body = data[19 + extension : -2]  # after the header; before the -1 trailer
    fields = [("count", ">i2")]
    for name, (_, kind) in columns.items():
        fields += [(f"{name}_length", ">i4"), (name, kind)]
    table = np.frombuffer(body, np.dtype(fields))
    return {name: table[name] for name in columns}


def _memberships(programme: Programme) -> list[engine.Membership]:
    enrolments = list(
        programme.enrolments.select_related("school__local_authority", "cohort").order_by(
            "school__name"
        )
    )
    comparison = list(
        School.objects.filter(comparisons__programme=programme)
        .order_by("name")
        .values_list("id", "name")
    )
    cohorts, authorities = {}, {}
    for e in enrolments:
        cohorts.setdefault((e.cohort_id, e.cohort.name), []).append(e.school_id)
        la = e.school.local_authority
        authorities.setdefault((la.pk, la.name), []).append(e.school_id)
    work_groups = {}
    for work_group_id, name, school_id in WorkGroup.objects.filter(programme=programme).values_list(
        "id", "name", "schools"
    ):
        if school_id is not None:
            work_groups.setdefault((work_group_id, name), []).append(school_id)

    def membership(scope_type, groups):
        return engine.Membership(scope_type, list(groups), [list(ids) for ids in groups.values()])

    schools = [(e.school_id, e.school.name) for e in enrolments] + comparison
    result = [
        engine.Membership(
            "programme", [(programme.pk, programme.name)], [[e.school_id for e in enrolments]]
        ),
        membership("cohort", cohorts),
        membership("local_authority", authorities),
        membership("work_group", work_groups),
        engine.Membership("school", schools, [[school_id] for school_id, _ in schools]),
    ]
    if comparison:
        result.insert(
            1,
            engine.Membership(
                "comparison",
                [(programme.pk, f"{programme.name}: comparison schools")],
                [[school_id for school_id, _ in comparison]],
            ),
        )
    return result


def _national(windows) -> dict:
    national = {}
    for window in windows:
        reference = window.national_reference
        if reference:
            national[window.slug] = {
                "name": reference.name,
                "pct_expected_non_disadvantaged": float(reference.pct_expected_non_disadvantaged),
                "pct_expected_non_send": None
                if reference.pct_expected_non_send is None
                else float(reference.pct_expected_non_send),
            }
    return national


def compute(programme: Programme) -> tuple[engine.Report, int]:
    """The report and how many results it rests on."""
    windows = list(
        programme.assessment_windows.select_related("national_reference").order_by("date")
    )
    rows = [_window_rows(window) for window in windows]
    report = engine.build(
        rows, _memberships(programme), _national(windows), settings.SUPPRESSION_THRESHOLD
    )
    return report, sum(len(r.pupil) for r in rows)


LOCK_NAMESPACE = 7_202_511  # advisory-lock namespace for "a programme's report is computing"


@contextmanager
def _one_report_at_a_time(programme_id: int):
    """Two reports of one programme never run at once: the second waits for the first (on
    PostgreSQL; SQLite runs tasks in-process, one after another)."""
    if "progress" not in connections:
        yield
        return
    with connections["progress"].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, programme_id])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, programme_id])


def report_compute(*, programme_id: int) -> ReportSnapshot | None:
    """Compute and store the report of the programme's current data version. Safe to run
    twice (a version is computed once); a report overtaken by newer data while computing is
    dropped, since the task queued by that change computes the newer one."""
    started = time.perf_counter()
    with _one_report_at_a_time(programme_id):
        current = Programme.objects.values_list("data_version", flat=True).get(pk=programme_id)
        existing = ReportSnapshot.objects.filter(programme_id=programme_id, data_version=current)
        if existing.exists():
            logger.info(
                "Report of programme %s, version %s: already computed", programme_id, current
            )
            return existing.get()
        logger.info("Report of programme %s, version %s: computing", programme_id, current)
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                # Every read below sees the data as of one moment, that of `version`.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            programme = Programme.objects.get(pk=programme_id)
            version = programme.data_version
            report, results = compute(programme)
        if Programme.objects.values_list("data_version", flat=True).get(pk=programme_id) != version:
            logger.info("Report of %s, version %s, superseded by newer data", programme, version)
            return None
        snapshot = _store(programme, version, report, results, time.perf_counter() - started)
        logger.info("Report of programme %s, version %s: stored", programme_id, version)
        return snapshot


@transaction.atomic
def _store(programme, version, report, results, seconds) -> ReportSnapshot:
    snapshot = ReportSnapshot.objects.create(
        programme=programme, data_version=version, seconds=round(seconds, 2), results=results
    )

    rows = [
        (EntryKind.ATTAINMENT, e["scope"], e["year_group"], e["window"], "", e)
        for e in report.attainment
    ] + [(EntryKind.PROGRESS, e["scope"], e["year_group"], e["to"], e["from"], e)
         for e in report.progress]  # fmt: skip
    if connection.vendor == "postgresql":
        _copy_entries(snapshot, rows)
    else:
        ReportEntry.objects.bulk_create(
            (
                ReportEntry(snapshot=snapshot, kind=kind, scope_type=scope["type"],
                            scope_id=scope["id"], year_group=year_group, window=window,
                            from_window=from_window, figures=figures)
                for kind, scope, year_group, window, from_window, figures in rows
            ),
            batch_size=2000,
        )  # fmt: skip
    # Older reports are superseded; keep only the newest, which dashboards read.
    ReportSnapshot.objects.filter(programme=programme, data_version__lt=version).delete()
    return snapshot


def _copy_entries(snapshot: ReportSnapshot, rows: list[tuple]) -> None:
    """A report's entries into the database by COPY: a programme's report has thousands, and
    building a model instance for each cost more than working them out."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for kind, scope, year_group, window, from_window, figures in rows:
        writer.writerow([snapshot.pk, kind, scope["type"], scope["id"], year_group, window,
                         from_window, json.dumps(figures)])  # fmt: skip
    buffer.seek(0)
    names = ("snapshot_id", "kind", "scope_type", "scope_id", "year_group", "window",
             "from_window", "figures")  # fmt: skip
    columns = ", ".join(map(connection.ops.quote_name, names))  # "window" is a keyword
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {ReportEntry._meta.db_table} ({columns}) FROM STDIN "
            "WITH (FORMAT csv, FORCE_NOT_NULL (from_window))",
            buffer,
        )


def data_changed(programme_id: int) -> None:
    """Call inside the transaction that changes a programme's results: the data version goes
    up, and once committed the report is recomputed by a worker."""
    from .tasks import compute_report

    Programme.objects.filter(pk=programme_id).update(data_version=F("data_version") + 1)
    transaction.on_commit(lambda: compute_report.delay(programme_id))
