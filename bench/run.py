"""`make bench`: measure the portal on PostgreSQL against the floor of what the database can do,
print a table and write bench/results.json.

- import: rows per second and peak memory to check and import a results file of BENCH_ROWS
  rows (default 1,000,000) through the product's own upload service, beside a bare COPY of the
  same file into an unindexed table in the same run; and beside a COPY of the rows the import
  made into tables with the product's indexes and keys, the floor of any import into them.
- report: seconds to compute the programme's full evaluation report over those results, beside
  one hand-written SQL aggregate over the same rows.
- london: the London-scale data set (bench/london.py), then the server time and queries of each
  dashboard and list page on it (bench/pages.py), and 20 users at once on gunicorn
  (bench/load.py).
"""

import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results.json"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mathsprog_bench"
)
ROWS = int(os.environ.get("BENCH_ROWS", 1_000_000))
# Tasks the import queues (the report) go to a Redis database of the benchmark's own, which
# no worker reads, so that each measure times one thing; the queue is emptied at the end.
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
SCHOOLS = 1_800
# The report and its floor are each timed this many times and the median kept: one run of
# either can be thrown a second off by whatever else the machine is doing.
TIMES = 3


def _server_url() -> str:
    base, _, _ = DATABASE_URL.rpartition("/")
    return base + "/postgres"


LONDON_URL = os.environ.get(
    "BENCH_LONDON_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mathsprog_bench_london"
)


def fresh_database(url: str = DATABASE_URL) -> None:
    name = url.rpartition("/")[2]
    connection = psycopg2.connect(_server_url())
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def django(
    *args: str, env: dict | None = None, url: str = DATABASE_URL
) -> subprocess.CompletedProcess:
    # Runs this interpreter on the project's own modules: no outside input reaches the command.
    result = subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": BROKER, **(env or {})},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
        raise SystemExit(f"{' '.join(args)} failed")
    return result


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


FLOOR_SQL = """
    SELECT y.school_id, r.window_id, y.year_group, y.disadvantaged, count(*), avg(r.score),
           stddev_samp(r.score), avg(CASE WHEN r.score >= 100 THEN 1 ELSE 0 END)
    FROM evaluation_result r
    JOIN evaluation_pupilyear y ON y.pupil_id = r.pupil_id
    GROUP BY 1, 2, 3, 4
"""


def settle() -> None:
    """VACUUM ANALYZE the fresh database, as autovacuum soon would: until then the planner
    knows nothing of the tables just filled (it would take 1,800 enrolments for 7), the first
    reads of each row also write to it (hint bits), and autovacuum competes for the CPU."""
    connection = psycopg2.connect(DATABASE_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    connection.close()


def sql_floor() -> float:
    connection = psycopg2.connect(DATABASE_URL)
    with connection, connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(FLOOR_SQL)
        cursor.fetchall()
        elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def report_and_floor() -> tuple[dict, float]:
    """The report, computed from scratch, and the floor, each TIMES times in turn: the median
    of each, and the report's size."""
    reports, floors = [], []
    for _ in range(TIMES):
        run = django("-m", "bench.report_once", "bench").stdout.strip().splitlines()[-1]
        reports.append(json.loads(run))
        floors.append(sql_floor())
    seconds = statistics.median(report["seconds"] for report in reports)
    return {**reports[-1], "seconds": seconds}, statistics.median(floors)


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"Benchmark database {DATABASE_URL.rpartition('@')[2]}, {ROWS:,} rows")
    fresh_database()
    django(
        "manage.py",
        "migrate",
        "--noinput",
        env={"DJANGO_SETTINGS_MODULE": "mathsprog.settings.base"},
    )
    path = DATA / f"results-{ROWS}.csv"
    setup = django("-m", "bench.setup_import", str(path), str(ROWS), str(SCHOOLS))
    upload_id = int(setup.stdout.strip().splitlines()[-1])

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    run = django("-m", "bench.import_once", str(upload_id))
    import_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome["created"] == ROWS, outcome
    copy_seconds = bare_copy(path)
    indexed_seconds = indexed_copy()
    settle()
    report, floor_seconds = report_and_floor()

    results = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "import": {
            "rows": ROWS,
            "seconds": round(import_seconds, 2),
            "validate_seconds": outcome["validate_seconds"],
            "import_seconds": outcome["import_seconds"],
            "rows_per_second": round(ROWS / import_seconds),
            "peak_memory_mb": round(peak_mb),
            "bare_copy_seconds": round(copy_seconds, 2),
            "bare_copy_rows_per_second": round(ROWS / copy_seconds),
            "share_of_copy_rate": round(copy_seconds / import_seconds, 3),
            "indexed_copy_seconds": round(indexed_seconds, 2),
            "share_of_indexed_copy_rate": round(indexed_seconds / import_seconds, 3),
            "peak_memory_before_mb": round(before / 1024),
        },
        "report": {
            "results": report["results"],
            "entries": report["entries"],
            "seconds": report["seconds"],
            "sql_floor_seconds": round(floor_seconds, 2),
            "ratio_to_floor": round(report["seconds"] / floor_seconds, 2),
        },
    }
    results["london"] = london()
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    redis.Redis.from_url(BROKER).flushdb()
    i = results["import"]
    print()
    print(f"{'measure':<34}{'value':>16}")
    print(f"{'import: rows per second':<34}{i['rows_per_second']:>16,}")
    print(f"{'import: check + preview (s)':<34}{i['validate_seconds']:>16}")
    print(f"{'import: confirm + write (s)':<34}{i['import_seconds']:>16}")
    print(f"{'import: peak memory (MB)':<34}{i['peak_memory_mb']:>16,}")
    print(f"{'bare COPY: rows per second':<34}{i['bare_copy_rows_per_second']:>16,}")
    print(f"{'import rate / COPY rate':<34}{i['share_of_copy_rate']:>16}")
    print(f"{'COPY into indexed tables (s)':<34}{i['indexed_copy_seconds']:>16}")
    print(f"{'import rate / indexed COPY rate':<34}{i['share_of_indexed_copy_rate']:>16}")
    r = results["report"]
    print(f"{'report: seconds (full report)':<34}{r['seconds']:>16}")
    print(f"{'report: SQL aggregate floor (s)':<34}{r['sql_floor_seconds']:>16}")
    print(f"{'report / floor':<34}{r['ratio_to_floor']:>16}")
    london_table(results["london"])
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


def london() -> dict:
    fresh_database(LONDON_URL)
    django(
        "manage.py",
        "migrate",
        "--noinput",
        url=LONDON_URL,
        env={"DJANGO_SETTINGS_MODULE": "mathsprog.settings.base"},
    )
    started = time.perf_counter()
    django("-m", "bench.london", url=LONDON_URL)
    load_seconds = time.perf_counter() - started
    # The pages are served as in production: static files from their manifest.
    django("manage.py", "collectstatic", "--noinput", url=LONDON_URL)
    pages = json.loads(django("-m", "bench.pages", url=LONDON_URL).stdout.strip().splitlines()[-1])
    load = json.loads(django("-m", "bench.load", url=LONDON_URL).stdout.strip().splitlines()[-1])
    trivial = pages["trivial page (health check)"]["median_ms"]
    for figures in pages.values():
        figures["ratio_to_trivial"] = round(figures["median_ms"] / trivial, 1)
    return {"load_seconds": round(load_seconds), "pages": pages, "load": load}


def london_table(london: dict) -> None:
    print(f"\nLondon-scale data loaded in {london['load_seconds']} s")
    print(f"{'page':<30}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'x trivial':>10}")
    for name, f in london["pages"].items():
        cells = f"{f['median_ms']:>10}{f['p95_ms']:>10}{f['queries']:>9}{f['ratio_to_trivial']:>10}"
        print(f"{name:<30}{cells}")
    load = london["load"]
    print(
        f"\n{load['users']} users, {load['requests']} requests on gunicorn "
        f"({load['gunicorn_workers']} workers): {load['requests_per_second']} requests/s, "
        f"p95 {load['p95_ms']} ms, {load['error_count']} errors"
    )
    print(f"{'page under load':<40}{'requests':>10}{'p95 ms':>10}")
    for page, f in load["pages"].items():
        print(f"{page:<40}{f['requests']:>10}{f['p95_ms']:>10}")


if __name__ == "__main__":
    main()
