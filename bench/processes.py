"""What every part of `make bench` shares: the benchmark's database and broker, and running
the project's own modules in processes of their own (timed, and their peak memory read)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mathsprog_bench"
)
ROWS = int(os.environ.get("BENCH_ROWS", 1_000_000))
SCHOOLS = 1_800
# Tasks the import queues (the report) go to a Redis database of the benchmark's own, which
# no worker reads, so that each measure times one thing; the queue is emptied at the end.
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")


def _server_url() -> str:
    base, _, _ = DATABASE_URL.rpartition("/")
    return base + "/postgres"


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
