"""Compute the benchmark programme's full evaluation report in a process of its own; print
its timing as JSON."""

import json
import sys
import time

import django

django.setup()

from evaluation import reports  # noqa: E402
from evaluation.models import ReportSnapshot  # noqa: E402
from programmes.models import Programme  # noqa: E402


def main(slug: str) -> None:
    programme = Programme.objects.get(slug=slug)
    ReportSnapshot.objects.filter(programme=programme).delete()
    started = time.perf_counter()
    snapshot = reports.report_compute(programme_id=programme.pk)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "results": snapshot.results,
                "entries": snapshot.entries.count(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
