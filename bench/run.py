"""`make bench`: measure the portal on PostgreSQL against the floor of what the database can do,
print a table and write bench/results.json.

- import: rows per second and peak memory to check and import a results file of BENCH_ROWS
  rows (default 1,000,000) through the product's own upload service, beside a bare COPY of the
  same file into an unindexed table in the same run; and beside a COPY of the rows the import
  made into tables with the product's indexes and keys, the floor of any import into them;
  BENCH_IMPORT_RUNS times (default 5), the run of the median ratio shown (bench/import_rate.py).
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

import json
import os
import platform
import statistics
import time
from pathlib import Path

import psycopg2
import redis

from bench.import_rate import import_once, import_rate
from bench.processes import BROKER, DATA, DATABASE_URL, ROOT, ROWS, django, fresh_database, measured

RESULTS = ROOT / "bench" / "results.json"

# The CTF beside the results file of the same pupils: one school's, as a CTF is.
CTF_ROWS = int(os.environ.get("BENCH_CTF_ROWS", 100_000))
# BENCH_LONDON=0 leaves out the London-scale pages and load (minutes of their own).
LONDON = os.environ.get("BENCH_LONDON", "1") != "0"
# The report and its floor are each timed this many times and the median kept: one run of
# either can be thrown a second off by whatever else the machine is doing.
TIMES = 3


LONDON_URL = os.environ.get(
    "BENCH_LONDON_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mathsprog_bench_london"
)


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
    path = DATA / f"results-{ROWS}.csv"
    imported = import_rate(path)
    settle()
    report, floor_seconds = report_and_floor()

    results = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "import": imported,
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
    runs = ", ".join(map(str, i["shares_of_indexed_copy_rate"]))
    print(f"{'  (median of the runs:':<34}{runs + ')':>16}")
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
