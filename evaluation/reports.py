"""Computing and storing a programme's evaluation report: the data is read in one pass per
assessment window (binary COPY on PostgreSQL), handed to the NumPy engine, and the entries
stored for dashboards to read. A report belongs to one data version of its programme."""

import io
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
import orjson
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from mathsprog.memory import give_back_memory
from programmes.models import Programme
from programmes.selectors import TAKING_PART_SQL
from programmes.services import programme_data_version_bump
from schools.academic_year import academic_year_of
from schools.models import School
from workgroups.models import WorkGroup

from . import engine, targets
from .engine import FIGURES_VERSION
from .models import (
    AssessmentWindow,
    EntryKind,
    PupilYear,
    ReportEntry,
    ReportFailure,
    ReportSnapshot,
    Result,
)
from .staged_text import NULL
from .standards import CODES

# Each teacher assessment as the engine ranks it (the codes are constants, not input).
CODE_RANKS = " ".join(f"WHEN '{code}' THEN {rank}" for code, rank in CODES.items() if code)
# What is read of each result and each pupil's year: name -> (SQL, PostgreSQL binary type).
# Every column is fixed-width and never null, so PostgreSQL's binary COPY reads straight into
# NumPy.
RESULT_COLUMNS = {
    "pupil": ("CAST(pupil_id AS BIGINT)", ">i8"),
    "score": ("CAST(COALESCE(score, -1000000) AS DOUBLE PRECISION)", ">f8"),
    "code": (f"CAST(CASE standard {CODE_RANKS} ELSE 0 END AS SMALLINT)", ">i2"),
}
# A pupil's details for the year, packed into one number: PostgreSQL sends each field of a
# row with its own length and conversion, and a pupil's details are five small fields.
YEAR_COLUMNS = {
    "pupil": ("CAST(pupil_id AS BIGINT)", ">i8"),
    "school": ("CAST(school_id AS BIGINT)", ">i8"),
    "details": (
        "CAST(year_group * 64 + CASE WHEN disadvantaged THEN 32 ELSE 0 END"
        " + CASE WHEN send <> 'N' THEN 16 ELSE 0 END"
        " + CASE WHEN eal IS NULL THEN 0 WHEN eal THEN 8 ELSE 4 END"
        " + CASE gender WHEN 'F' THEN 1 WHEN 'M' THEN 2 ELSE 0 END AS INTEGER)",
        ">i4",
    ),
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


def _read_at(snapshot: str, *read) -> dict[str, np.ndarray]:
    """_read(*read) on this thread's own connection, as of an exported snapshot."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
            return _read(*read)
    finally:
        connection.close()


def _window_rows(window: AssessmentWindow, snapshot: str | None) -> engine.WindowRows:
    """A window's results with their pupils' details for the year at the programme's schools
    (of all London's pupils, a programme's 45 schools have a few thousand). The two are read
    apart (each a plain scan) and joined here by pupil: faster than asking the database to join
    a million rows and send them. Given the snapshot of this connection's transaction, the
    pupils' details are read at the same time on a second connection, which PostgreSQL serves
    from another core. Only the programme's own pupils' details are read: another programme's
    pupil at one of its schools is another pupil, whose details are that programme's."""
    years_read = (
        PupilYear._meta.db_table,
        YEAR_COLUMNS,
        f"programme_id = %(programme)s AND academic_year = %(year)s "
        f"AND school_id IN ({TAKING_PART_SQL})",
        {"year": academic_year_of(window.date), "programme": window.programme_id},
    )
    with ThreadPoolExecutor(max_workers=1) as other:
        pending = other.submit(_read_at, snapshot, *years_read) if snapshot else None
        results = _read(Result._meta.db_table, RESULT_COLUMNS, "window_id = %s", [window.pk])
        years = pending.result() if pending else _read(*years_read)
    order = np.argsort(years["pupil"], kind="stable")
    known = years["pupil"][order]
    at = np.searchsorted(known, results["pupil"])
    at[at == len(known)] = 0
    found = known[at] == results["pupil"] if len(known) else np.zeros(len(at), bool)
    row = order[at[found]]
    details = years["details"][row].astype(np.int32)
    score = results["score"][found].astype(float)
    score[score == NO_SCORE] = np.nan
    return engine.WindowRows(
        slug=window.slug,
        expected=float(window.expected_threshold),
        higher=float(window.higher_threshold),
        pupil=results["pupil"][found].astype(np.int64),
        school=years["school"][row].astype(np.int64),
        year_group=(details >> 6).astype(np.int8),
        score=score,
        code=results["code"][found].astype(np.int8),
        disadvantaged=(details & 32).astype(bool),
        send=(details & 16).astype(bool),
        # Each of these in a byte: a window of a million pupils is 30 MB the less.
        eal=(((details >> 2) & 3) - 1).astype(np.int8),  # -1 not known, 0 no, 1 yes
        gender=(details & 3).astype(np.int8),  # 0 not known, 1 female, 2 male
        academic_year=academic_year_of(window.date),
    )


def _copy_binary(cursor, query: str, columns: dict) -> dict[str, np.ndarray]:
    """PostgreSQL's binary COPY of fixed-width, never-null columns, read straight into
    NumPy: every row has the same layout, so the body is one structured array."""
    buffer = io.BytesIO()
    cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT binary)", buffer)
    data = buffer.getbuffer()  # a view: a copy of a million rows would double the peak
    extension = int.from_bytes(data[15:19], "big")
    body = data[19 + extension : -2]  # after the header; before the -1 trailer
    fields = [("count", ">i2")]
    for name, (_, kind) in columns.items():
        fields += [(f"{name}_length", ">i4"), (name, kind)]
    table = np.frombuffer(body, np.dtype(fields))
    return {name: table[name] for name in columns}


def _memberships(programme: Programme) -> list[engine.Membership]:
    enrolments = list(
        programme.enrolments.order_by("school__name").values_list(
            "school_id", "school__name", "cohort_id", "cohort__name",
            "school__local_authority_id", "school__local_authority__name",
        )
    )  # fmt: skip
    comparison = list(
        School.objects.filter(comparisons__programme=programme)
        .order_by("name")
        .values_list("id", "name")
    )
    cohorts, authorities = {}, {}
    for school_id, _, cohort_id, cohort, authority_id, authority in enrolments:
        cohorts.setdefault((cohort_id, cohort), []).append(school_id)
        authorities.setdefault((authority_id, authority), []).append(school_id)
    work_groups = {}
    for work_group_id, name, school_id in WorkGroup.objects.filter(programme=programme).values_list(
        "id", "name", "schools"
    ):
        if school_id is not None:
            work_groups.setdefault((work_group_id, name), []).append(school_id)

    def membership(scope_type, groups):
        return engine.Membership(scope_type, list(groups), [list(ids) for ids in groups.values()])

    schools = [(school_id, name) for school_id, name, *_ in enrolments] + comparison
    result = [
        engine.Membership(
            "programme", [(programme.pk, programme.name)], [[school for school, *_ in enrolments]]
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


def compute(programme: Programme, snapshot: str | None = None) -> tuple[engine.Report, int]:
    """The report and how many results it rests on; `snapshot`, exported by this connection's
    repeatable-read transaction, lets other connections read with it."""
    windows = list(
        programme.assessment_windows.select_related("national_reference").order_by("date")
    )
    rows = [_window_rows(window, snapshot) for window in windows]
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
    """Compute and store the report of the programme's current data version, with today's
    suppression threshold. Safe to run twice (a version is computed once); a report overtaken
    by newer data while computing is dropped, since the task queued by that change computes
    the newer one."""
    started = time.perf_counter()
    threshold = settings.SUPPRESSION_THRESHOLD
    give_back_memory()  # what an import in this process freed, before the report's peak
    with _one_report_at_a_time(programme_id):
        existing = _computed(programme_id, threshold)
        if existing is not None:
            return existing
        outermost = not connection.in_atomic_block
        snapshot = None
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                # Every read below sees the data as of one moment, that of `version`, on
                # this connection and on any other given the snapshot. (Inside a caller's
                # transaction, as in tests, others could not see its writes.)
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
            programme = Programme.objects.get(pk=programme_id)
            version = programme.data_version
            report, results = compute(programme, snapshot)
        if Programme.objects.values_list("data_version", flat=True).get(pk=programme_id) != version:
            logger.info("Report of %s, version %s, superseded by newer data", programme, version)
            return None
        seconds = time.perf_counter() - started
        snapshot = _store(programme, version, report, results, seconds, threshold=threshold)
        logger.info("Report of programme %s, version %s: stored", programme_id, version)
        return snapshot


def _computed(programme_id: int, threshold: int) -> ReportSnapshot | None:
    """The stored report of the programme's current data version, if it was computed with
    this threshold and the engine's figures. One computed otherwise is out of date: the data
    version goes up, so the report that replaces it is a new one (pages cache a report's
    figures by its id)."""
    current = Programme.objects.values_list("data_version", flat=True).get(pk=programme_id)
    existing = ReportSnapshot.objects.filter(programme_id=programme_id, data_version=current)
    existing = existing.first()
    if existing is not None and existing.computed_as_today():
        logger.info("Report of programme %s, version %s: already computed", programme_id, current)
        return existing
    if existing is not None:
        programme_data_version_bump(programme_id=programme_id)
        logger.info(
            "Report of programme %s, version %s: computed with threshold %s and figures %s, "
            "not %s and %s", programme_id, current, existing.threshold,
            existing.figures_version, threshold, FIGURES_VERSION,
        )  # fmt: skip
        current += 1
    logger.info("Report of programme %s, version %s: computing", programme_id, current)
    return None


@transaction.atomic
def _store(programme, version, report, results, seconds, *, threshold: int) -> ReportSnapshot:
    snapshot = ReportSnapshot.objects.create(
        programme=programme,
        data_version=version,
        seconds=round(seconds, 2),
        results=results,
        threshold=threshold,
        figures_version=FIGURES_VERSION,
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
    ReportFailure.objects.filter(programme=programme, data_version__lte=version).delete()
    targets.kpis_fill_from_report(snapshot=snapshot)  # KPIs that take their value from it
    return snapshot


def _copy_text(figures: dict) -> str:
    """JSON as a field of COPY's text format: it holds no raw tab or newline, so only its
    backslashes need escaping."""
    return orjson.dumps(figures).decode().replace("\\", "\\\\")


def _copy_entries(snapshot: ReportSnapshot, rows: list[tuple]) -> None:
    """A report's entries into the database by COPY: a programme's report has thousands, and
    building a model instance (or a CSV row) for each cost more than working them out. The
    columns but the figures are numbers and slugs, which need no escaping."""
    text = "".join(
        f"{snapshot.pk}\t{kind}\t{scope['type']}\t{scope['id']}\t"
        f"{NULL if year_group is None else year_group}\t{window}\t{from_window}\t"
        f"{_copy_text(figures)}\n"
        for kind, scope, year_group, window, from_window, figures in rows
    )
    names = ("snapshot_id", "kind", "scope_type", "scope_id", "year_group", "window",
             "from_window", "figures")  # fmt: skip
    columns = ", ".join(map(connection.ops.quote_name, names))  # "window" is a keyword
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {ReportEntry._meta.db_table} ({columns}) FROM STDIN", io.StringIO(text)
        )


def report_failure_record(*, programme_id: int, error: BaseException, attempts: int) -> None:
    """Every attempt at the programme's report failed: its pages say so (instead of
    "Updating" for ever) until a retry or newer data brings it up to date. Nothing is
    recorded for a programme deleted meanwhile, or whose current report was stored since."""
    versions = Programme.objects.filter(pk=programme_id).values_list("data_version", flat=True)
    version = versions.first()
    if version is None:
        return
    if ReportSnapshot.objects.filter(programme_id=programme_id, data_version__gte=version).exists():
        return
    ReportFailure.objects.update_or_create(
        programme_id=programme_id,
        defaults={
            "data_version": version,
            "error": f"{type(error).__name__}: {error}"[:2000],
            "failed_at": timezone.now(),
            "attempts": attempts,
        },
    )
