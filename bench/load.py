"""20 signed-in users at once on a production-style server (gunicorn, several workers) on
this machine, each making a bounded number of requests to a mix of pages; prints requests per
second, the 95th-percentile latency (of all requests, and of each page) and the errors as
JSON."""

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import django
import redis

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.second_step import pass_second_step  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", 8765))
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
# One worker a core: the pages are CPU-bound, and PostgreSQL shares the machine here.
USERS, REQUESTS_EACH, GUNICORN_WORKERS = 20, 25, os.cpu_count() or 2
# Each kind of user and their pages (named as in bench/pages.py), which they visit in turn.
MIX = [
    ("lead{n:02d}@bench.example.org", {"hub lead dashboard": "/programmes/programme-{n:02d}/",
                                       "school list": "/schools/", "visit list": "/visits/"}),
    ("sle{n:03d}@bench.example.org", {"SLE home": "/schools/mine/", "visit list": "/visits/"}),
    ("head.{urn}@bench.example.org", {"headteacher dashboard": "/schools/{urn}/",
                                      "action plan": "/schools/{urn}/action-plan/"}),
    ("governor.{urn}@bench.example.org", {"governor report": "/schools/{urn}/governor-report/"}),
]  # fmt: skip


def session_for(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    pass_second_step(session, user)
    session.create()
    return session.session_key


def visitors() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each user's session and pages: (the page's name, its path for this user)."""
    people = []
    for n in range(USERS):
        email, paths = MIX[n % len(MIX)]
        fill = {"n": n % 40, "urn": 300000 + 45 * (n % 40)}
        user = User.objects.get(email=email.format(**fill))
        people.append(
            (session_for(user), [(page, path.format(**fill)) for page, path in paths.items()])
        )
    return people


def p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return round(ordered[int(0.95 * len(ordered)) - 1], 1)


def visit(session: str, paths: list[tuple[str, str]], latencies: list, errors: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
        "X-Forwarded-Proto": "https",
        "Host": "127.0.0.1",
    }
    for n in range(REQUESTS_EACH):
        page, path = paths[n % len(paths)]
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append((page, (time.perf_counter() - started) * 1000))
        if response.status != 200:
            errors.append(f"{path}: {response.status}")
    connection.close()


def main() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mathsprog.settings.production",
        # The sessions made here are signed with this process's key: the server needs the same.
        "SECRET_KEY": settings.SECRET_KEY,
        "PUPIL_KEY_SECRET": settings.PUPIL_KEY_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        # As deployed: one cache in Redis shared by the workers (emptied at the end).
        "CACHE_URL": CACHE_URL,
    }
    server = subprocess.Popen(  # noqa: S603 - this interpreter's gunicorn on the project
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "mathsprog.wsgi",
            "-w",
            str(GUNICORN_WORKERS),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                probe.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        people = visitors()
        latencies, errors = [], []
        threads = [
            threading.Thread(target=visit, args=(s, p, latencies, errors)) for s, p in people
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        redis.Redis.from_url(CACHE_URL).flushdb()
    by_page = {}
    for page, latency in latencies:
        by_page.setdefault(page, []).append(latency)
    every = [latency for _, latency in latencies]
    print(
        json.dumps(
            {
                "users": USERS,
                "requests": len(every),
                "gunicorn_workers": GUNICORN_WORKERS,
                "requests_per_second": round(len(every) / elapsed, 1),
                "p95_ms": p95(every),
                "median_ms": round(statistics.median(every), 1),
                "pages": {
                    page: {"requests": len(times), "p95_ms": p95(times)}
                    for page, times in by_page.items()
                },
                "errors": errors[:10],
                "error_count": len(errors),
            }
        )
    )


if __name__ == "__main__":
    main()
