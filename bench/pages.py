"""Server time and query count of each dashboard and list page on the London-scale data, in
this process (Django's test client: no network), beside a trivial page; printed as JSON."""

import json
import statistics
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.second_step import pass_second_step  # noqa: E402

REPEATS = 30
PAGES = {
    "hub lead dashboard": ("lead00@bench.example.org", "/programmes/programme-00/"),
    "SLE home": ("sle000@bench.example.org", "/schools/mine/"),
    "headteacher dashboard": ("head.300000@bench.example.org", "/schools/300000/"),
    "governor report": ("governor.300000@bench.example.org", "/schools/300000/governor-report/"),
    "school list": ("lead00@bench.example.org", "/schools/"),
    "visit list": ("sle000@bench.example.org", "/visits/"),
    "trivial page (health check)": (None, "/healthz"),
}


def measure(email, path) -> dict:
    client = Client(HTTP_HOST="127.0.0.1")
    if email:
        user = User.objects.get(email=email)
        client.force_login(user)
        session = client.session
        pass_second_step(session, user)
        session.save()
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * len(times)) - 1], 1),
        "queries": len(queries.captured_queries),
    }


def main() -> None:
    print(json.dumps({name: measure(*page) for name, page in PAGES.items()}))


if __name__ == "__main__":
    main()
