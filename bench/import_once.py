"""Check, preview and import one upload, in a process of its own so that its peak memory can
be measured; print the timings as JSON."""

import json
import sys
import time

import django

django.setup()

from evaluation import services  # noqa: E402
from evaluation.models import AssessmentUpload  # noqa: E402


def main(upload_id: int) -> None:
    upload = AssessmentUpload.objects.select_related("window__programme").get(pk=upload_id)
    started = time.perf_counter()
    services.upload_validate(upload=upload)
    validated = time.perf_counter()
    upload.refresh_from_db()
    services.upload_import_now(upload=upload)
    done = time.perf_counter()
    upload.refresh_from_db()
    print(
        json.dumps(
            {
                "status": upload.status,
                "created": upload.created,
                "validate_seconds": round(validated - started, 2),
                "import_seconds": round(done - validated, 2),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
