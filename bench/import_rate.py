"""The import's rate (`make bench`): a results file of BENCH_ROWS rows checked and imported
through the upload service, beside a bare COPY of the file and beside the floor of any import
into the product's tables (a COPY of the rows the import made into tables with the same
indexes and keys). Runs on this machine differ by a few seconds either way, so the import
and its floor are measured IMPORT_RUNS times, each on a fresh database and each after a
checkpoint (so that neither pays for the other's writes), and the run of the median ratio is
the one shown."""

import io
import json
import os
import statistics
import time
from pathlib import Path

import psycopg2

from bench.processes import DATABASE_URL, ROWS, SCHOOLS, django, fresh_database, measured

IMPORT_RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", 5))


def import_once(upload_id: int) -> dict:
    """Check and import one upload in a process of its own: its timings and peak memory."""
    started = time.perf_counter()
    out, peak_mb = measured("-m", "bench.import_once", str(upload_id))
    seconds = time.perf_counter() - started
    return {**json.loads(out.strip().splitlines()[-1]), "seconds": seconds, "peak_mb": peak_mb}


def bare_copy(path: Path) -> float:
    """The floor: the same file into a table with no index, key or check."""
    connection = psycopg2.connect(DATABASE_URL)
    with connection, connection.cursor() as cursor:
        columns = ", ".join(f"c{n} text" for n in range(11))
        cursor.execute(f"CREATE UNLOGGED TABLE IF NOT EXISTS bench_copy ({columns})")
        cursor.execute("TRUNCATE bench_copy")
        started = time.perf_counter()
        with path.open("rb") as handle:
            cursor.copy_expert(
                "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER)", handle, size=1 << 20
            )
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    connection.close()
    return elapsed


# Where an import of results puts its rows: pupils, their year's details, their results.
IMPORTED_TABLES = ("evaluation_pupil", "evaluation_pupilyear", "evaluation_result")


def indexed_copy() -> float:
    """The floor of any import into the product's tables: the rows the import made, already
    checked, hashed and linked, copied into tables like the product's, with the same indexes,
    unique constraints and foreign keys, in one transaction (the commit included: PostgreSQL
    checks deferred foreign keys then)."""
    connection = psycopg2.connect(DATABASE_URL)
    with connection.cursor() as cursor:
        rows, keys = {}, {}
        for table in IMPORTED_TABLES:
            rows[table] = io.BytesIO()
            cursor.copy_expert(f"COPY {table} TO STDOUT", rows[table])
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            keys[table] = [definition for (definition,) in cursor.fetchall()]
            cursor.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
            for definition in keys[table]:
                cursor.execute(f"ALTER TABLE floor_{table} ADD {definition}")
        connection.commit()
        started = time.perf_counter()
        for table in IMPORTED_TABLES:
            rows[table].seek(0)
            cursor.copy_expert(f"COPY floor_{table} FROM STDIN", rows[table], size=1 << 20)
        connection.commit()
        elapsed = time.perf_counter() - started
        for table in IMPORTED_TABLES:
            cursor.execute(f"DROP TABLE floor_{table}")
        connection.commit()
    connection.close()
    return elapsed


def checkpoint() -> None:
    """Write out what the steps before left in memory, so that the next one pays only for
    its own writes (a checkpoint that the import's writes started would otherwise fall in the
    floor's time, or one of the set-up's in the import's)."""
    connection = psycopg2.connect(DATABASE_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    connection.close()


def one_run(path: Path) -> dict:
    """A fresh database and its programme, the import, then its floors."""
    fresh_database()
    django(
        "manage.py",
        "migrate",
        "--noinput",
        env={"DJANGO_SETTINGS_MODULE": "mathsprog.settings.base"},
    )
    setup = django("-m", "bench.setup_import", str(path), str(ROWS), str(SCHOOLS))
    checkpoint()
    outcome = import_once(int(setup.stdout.strip().splitlines()[-1]))
    assert outcome["created"] == ROWS, outcome
    copy_seconds = bare_copy(path)
    checkpoint()
    indexed_seconds = indexed_copy()
    seconds = outcome["seconds"]
    return {
        "rows": ROWS,
        "seconds": round(seconds, 2),
        "validate_seconds": outcome["validate_seconds"],
        "import_seconds": outcome["import_seconds"],
        "rows_per_second": round(ROWS / seconds),
        "peak_memory_mb": round(outcome["peak_mb"]),
        "bare_copy_seconds": round(copy_seconds, 2),
        "bare_copy_rows_per_second": round(ROWS / copy_seconds),
        "share_of_copy_rate": round(copy_seconds / seconds, 3),
        "indexed_copy_seconds": round(indexed_seconds, 2),
        "share_of_indexed_copy_rate": round(indexed_seconds / seconds, 3),
    }


def import_rate(path: Path) -> dict:
    """IMPORT_RUNS runs: the one of the median ratio to the floor, with every run's ratio,
    and the highest peak memory of them all. The last run's database is left for the report."""
    runs = [one_run(path) for _ in range(IMPORT_RUNS)]
    ratios = [run["share_of_indexed_copy_rate"] for run in runs]
    median = min(
        runs, key=lambda run: abs(run["share_of_indexed_copy_rate"] - statistics.median(ratios))
    )
    return {
        **median,
        "peak_memory_mb": max(run["peak_memory_mb"] for run in runs),
        "runs": IMPORT_RUNS,
        "shares_of_indexed_copy_rate": ratios,
    }
