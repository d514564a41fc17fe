"""Make the benchmark's programme (one cohort of 1,800 schools across London) and its results
file, and record the file as an upload; print the upload's id."""

import sys
from datetime import date
from pathlib import Path

import django

django.setup()

from django.core.files import File  # noqa: E402

from bench.results_file import write_results_file  # noqa: E402
from evaluation import services  # noqa: E402
from evaluation.models import AssessmentWindow  # noqa: E402
from programmes.models import Cohort, Enrolment, Programme  # noqa: E402
from schools.london import LONDON_LOCAL_AUTHORITIES  # noqa: E402
from schools.models import LocalAuthority, School  # noqa: E402


def main(path: Path, rows: int, school_count: int) -> None:
    authorities = LocalAuthority.objects.bulk_create(
        LocalAuthority(code=code, name=name) for code, name in LONDON_LOCAL_AUTHORITIES
    )
    schools = School.objects.bulk_create(
        School(urn=200000 + n, name=f"Bench School {n}", local_authority=authorities[n % 33])
        for n in range(school_count)
    )
    programme = Programme.objects.create(
        name="Benchmark", slug="bench", start_date=date(2025, 9, 1), end_date=date(2026, 8, 31)
    )
    cohort = Cohort.objects.create(
        programme=programme,
        name="All",
        start_date=programme.start_date,
        end_date=programme.end_date,
    )
    Enrolment.objects.bulk_create(
        Enrolment(programme=programme, cohort=cohort, school=school) for school in schools
    )
    window = AssessmentWindow.objects.create(
        programme=programme, slug="end", name="End", kind="end", date=date(2026, 6, 22)
    )
    if not path.exists():
        codes = {la.pk: la.code for la in authorities}
        write_results_file(
            path, schools=[(s.urn, codes[s.local_authority_id]) for s in schools], rows=rows
        )
    with path.open("rb") as handle:
        upload = services.upload_store(
            uploaded_by=None, window=window, school=None, file=File(handle, name=path.name)
        )
    print(upload.pk)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
