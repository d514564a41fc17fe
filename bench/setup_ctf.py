"""After bench/setup_import.py: the same pupils of one school as a results file and as a CTF,
each recorded as an upload to a programme of its own (so that neither finds the other's pupils),
and a third programme of every school, for `import_assessments` of the whole results file to
fill from nothing; print the two uploads' ids, the results file's first."""

import sys
from datetime import date
from pathlib import Path

import django

django.setup()

from django.core.files import File  # noqa: E402

from bench.ctf_file import MAPPING, write_ctf_file  # noqa: E402
from bench.results_file import write_results_file  # noqa: E402
from evaluation import services  # noqa: E402
from evaluation.models import AssessmentWindow  # noqa: E402
from programmes.models import Cohort, Enrolment, Programme  # noqa: E402
from schools.models import School  # noqa: E402


def _programme(slug: str, schools) -> AssessmentWindow:
    programme = Programme.objects.create(
        name=slug, slug=slug, start_date=date(2025, 9, 1), end_date=date(2026, 8, 31)
    )
    cohort = Cohort.objects.create(
        programme=programme, name="All", start_date=programme.start_date,
        end_date=programme.end_date,
    )  # fmt: skip
    Enrolment.objects.bulk_create(
        Enrolment(programme=programme, cohort=cohort, school=school) for school in schools
    )
    return AssessmentWindow.objects.create(
        programme=programme, slug="end", name="End", kind="end", date=date(2026, 6, 22)
    )


def _upload(slug: str, school: School, path: Path, ctf: dict | None) -> int:
    window = _programme(slug, [school])
    with path.open("rb") as handle:
        upload = services.upload_store(
            uploaded_by=None, window=window, school=None, file=File(handle, name=path.name),
            ctf=ctf,
        )  # fmt: skip
    return upload.pk


def main(folder: Path, rows: int) -> None:
    school = School.objects.select_related("local_authority").order_by("urn").first()
    key = (school.urn, int(school.local_authority.code))
    csv_path, ctf_path = folder / f"one-school-{rows}.csv", folder / f"one-school-{rows}.xml"
    if not csv_path.exists():
        write_results_file(csv_path, schools=[key], rows=rows)
    if not ctf_path.exists():
        write_ctf_file(ctf_path, school=key, rows=rows)
    _programme("bench-command", School.objects.all())
    print(
        _upload("bench-csv", school, csv_path, None),
        _upload("bench-ctf", school, ctf_path, MAPPING),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
