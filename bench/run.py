"""`make bench`: measure the portal on PostgreSQL against the floor of what the database can do,
print a table and write bench/results.json.

- import: rows per second and peak memory to check and import a results file of BENCH_ROWS
  rows (default 1,000,000) through the product's own upload service, beside a bare COPY of the
  same file into an unindexed table in the same run; and beside a COPY of the rows the import
  made into tables with the product's indexes and keys, the floor of any import into them.
- report: seconds to compute the programme's full evaluation report over those results, beside
  one hand-written SQL aggregate over the same rows, and the report's own peak memory.
- ctf: BENCH_CTF_ROWS (default 100,000) pupils of one school imported from a Common Transfer
  File, beside the same pupils from a results file (bench/ctf_file.py).
- command: the peak memory of `import_assessments` of the BENCH_ROWS file without a broker,
  which computes the report in the same process (aim: under 500 MB).
- london: the London-scale data set (bench/london.py), then the server time and queries of each
  dashboard and list page on it (bench/pages.py), and 20 users at once on gunicorn
  (bench/load.py); BENCH_LONDON=0 leaves it out.
"""

import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
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
# The CTF beside the results file of the same pupils: one school's, as a CTF is.
CTF_ROWS = int(os.environ.get("BENCH_CTF_ROWS", 100_000))
# BENCH_LONDON=0 leaves out the London-scale pages and load (minutes of their own).
LONDON = os.environ.get("BENCH_LONDON", "1") != "0"
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


def measured(*args: str, env: dict | None = None) -> tuple[str, float]:
    """Run a process as django() does: what it printed, and its own peak memory in MB (its
    ru_maxrss alone, whatever ran before it)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        # This interpreter on the project's own modules: no outside input reaches the command.
        child = subprocess.Popen(  # noqa: S603
            [sys.executable, *args], cwd=ROOT, stdout=out, stderr=err,
            env={**os.environ, "DATABASE_URL": DATABASE_URL, "CELERY_BROKER_URL": BROKER,
                 **(env or {})},
        )  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            print(out.read()[-3000:], err.read()[-3000:], sep="\n")
            raise SystemExit(f"{' '.join(args)} failed")
        return out.read(), usage.ru_maxrss / 1024


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
    reports, floors, peaks = [], [], []
    for _ in range(TIMES):
        out, peak_mb = measured("-m", "bench.report_once", "bench")
        reports.append(json.loads(out.strip().splitlines()[-1]))
        peaks.append(peak_mb)
        floors.append(sql_floor())
    seconds = statistics.median(report["seconds"] for report in reports)
    return {**reports[-1], "seconds": seconds, "peak_mb": max(peaks)}, statistics.median(floors)


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

    outcome = import_once(upload_id)
    assert outcome["created"] == ROWS, outcome
    import_seconds, peak_mb = outcome["seconds"], outcome["peak_mb"]
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
        },
        "report": {
            "results": report["results"],
            "entries": report["entries"],
            "seconds": report["seconds"],
            "sql_floor_seconds": round(floor_seconds, 2),
            "ratio_to_floor": round(report["seconds"] / floor_seconds, 2),
            "peak_memory_mb": round(report["peak_mb"]),
        },
        "ctf": ctf_beside_csv(),
        "command": whole_command(path),
    }
    if LONDON:
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
    print(f"{'report: peak memory (MB)':<34}{r['peak_memory_mb']:>16,}")
    print(f"{'import_assessments + report (MB)':<34}{results['command']['peak_memory_mb']:>16,}")
    ctf_table(results["ctf"])
    if LONDON:
        london_table(results["london"])
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


def ctf_beside_csv() -> dict:
    """The same CTF_ROWS pupils of one school, imported from a results file and from a CTF:
    each one's rate, check and import times, and peak memory."""
    setup = django("-m", "bench.setup_ctf", str(DATA), str(CTF_ROWS)).stdout.strip()
    figures = {}
    for kind, upload_id in zip(("csv", "ctf"), setup.splitlines()[-1].split(), strict=True):
        outcome = import_once(int(upload_id))
        assert outcome["created"] == CTF_ROWS, outcome
        figures[kind] = {
            "rows_per_second": round(CTF_ROWS / outcome["seconds"]),
            "validate_seconds": outcome["validate_seconds"],
            "import_seconds": outcome["import_seconds"],
            "peak_memory_mb": round(outcome["peak_mb"]),
        }
    return {"rows": CTF_ROWS, **figures}


def whole_command(path: Path) -> dict:
    """`import_assessments` of the results file into a programme of its own, without a broker:
    the command then computes the programme's report in the same process. Its peak memory."""
    args = ("manage.py", "import_assessments", str(path), "--programme", "bench-command")
    started = time.perf_counter()
    out, peak_mb = measured(*args, "--window", "end", env={"CELERY_BROKER_URL": ""})
    assert "Imported" in out, out
    return {"seconds": round(time.perf_counter() - started, 2), "peak_memory_mb": round(peak_mb)}


def ctf_table(ctf: dict) -> None:
    print(f"\n{ctf['rows']:,} pupils of one school{'results file':>16}{'CTF':>10}")
    for label, key in (("rows per second", "rows_per_second"), ("check + preview (s)",
                       "validate_seconds"), ("confirm + write (s)", "import_seconds"),
                       ("peak memory (MB)", "peak_memory_mb")):  # fmt: skip
        print(f"{label:<34}{ctf['csv'][key]:>14,}{ctf['ctf'][key]:>10,}")


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
