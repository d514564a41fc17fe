"""A deterministic, London-scale data set, loaded through the product's own set-based
services: 1,800 schools across the 33 boroughs (from a register file, as a site admin would
import it), 40 programmes (from programme files), a work group each, 650,000 pupils with
baseline, interim and end results (1,950,000, through the upload pipeline), 20,000 records of
visit and 5,000 events with registers.

    DJANGO_SETTINGS_MODULE=mathsprog.settings.base DATABASE_URL=... python -m bench.london
"""

import csv
import io
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402

from accounts.models import Role, RoleAssignment, User  # noqa: E402
from bench.results_file import pupil_upn  # noqa: E402
from evaluation import reports, services  # noqa: E402
from evaluation.programme_file import read_programme_file  # noqa: E402
from evaluation.programme_loading import programme_load  # noqa: E402
from programmes.models import Programme  # noqa: E402
from schools.london import LONDON_LOCAL_AUTHORITIES  # noqa: E402
from schools.models import School, StaffMember, StaffRole  # noqa: E402
from schools.services import schools_upsert_from_register  # noqa: E402
from visits.models import RecordOfVisit, VisitKind  # noqa: E402
from workgroups.models import Attendance, Event, EventKind, WorkGroup, WorkGroupType  # noqa: E402
from workgroups.services import work_group_catalogue_ensure  # noqa: E402

SEED = 2026
SCHOOLS, PROGRAMMES, PUPILS_PER_SCHOOL = 1_800, 40, 361  # 1,800 x 361 = 649,800 pupils
VISITS, EVENTS = 20_000, 5_000
PASSWORD = "bench-password-2026"  # noqa: S105 - benchmark accounts on a benchmark database
WINDOWS = (
    ("baseline", "baseline", date(2025, 9, 22), 0),
    ("interim", "interim", date(2026, 2, 9), 3),
    ("end", "end", date(2026, 6, 22), 6),
)


def step(name: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {name}: {now - started:.1f} s", flush=True)
    return now


def register_file(rng) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(
        [
            "URN",
            "LA (code)",
            "LA (name)",
            "EstablishmentName",
            "PhaseOfEducation (name)",
            "TypeOfEstablishment (name)",
            "NumberOfPupils",
            "PercentageFSM",
        ]
    )
    for n in range(SCHOOLS):
        code, name = LONDON_LOCAL_AUTHORITIES[n % len(LONDON_LOCAL_AUTHORITIES)]
        writer.writerow(
            [
                300000 + n,
                code,
                name,
                f"London Primary School {n}",
                "Primary",
                "Community school",
                rng.randrange(180, 720, 30),
                rng.randint(5, 50),
            ]
        )
    return out.getvalue().encode("cp1252")


def programme_files() -> list[dict]:
    per = SCHOOLS // PROGRAMMES
    files = []
    for p in range(PROGRAMMES):
        urns = [300000 + p * per + n for n in range(per)]
        comparison = (
            [300000 + ((p + 1) % PROGRAMMES) * per + n for n in range(10)] if p % 8 == 0 else []
        )
        files.append(
            {
                "slug": f"programme-{p:02d}",
                "name": f"London maths programme {p:02d}",
                "start_date": "2025-09-01",
                "end_date": "2026-08-31",
                "value": 250000,
                "allocation": {"sle_days": 4, "funding": 2500},
                "cohorts": [
                    {
                        "name": "Cohort A",
                        "start_date": "2025-09-01",
                        "end_date": "2026-07-22",
                        "schools": urns[: per // 2],
                    },
                    {
                        "name": "Cohort B",
                        "start_date": "2026-01-05",
                        "end_date": "2026-08-31",
                        "schools": urns[per // 2 :],
                    },
                ],
                "comparison_schools": comparison,
                "assessment_windows": [
                    {"slug": s, "name": s.title(), "kind": k, "date": d.isoformat()}
                    for s, k, d, _ in WINDOWS
                ],
            }
        )
    return files


def people(schools: list[School], programmes: list[Programme]) -> dict:
    password = make_password(PASSWORD)
    users = [
        User(email=f"lead{p:02d}@bench.example.org", full_name=f"Hub lead {p}", password=password)
        for p in range(len(programmes))
    ]
    users += [
        User(email=f"sle{n:03d}@bench.example.org", full_name=f"SLE {n}", password=password)
        for n in range(SCHOOLS // 10)
    ]
    for school in schools:
        users += [
            User(email=f"head.{school.urn}@bench.example.org", full_name="Head", password=password),
            User(
                email=f"governor.{school.urn}@bench.example.org",
                full_name="Governor",
                password=password,
            ),
        ]
    users = {u.email: u for u in User.objects.bulk_create(users, batch_size=2000)}
    programme_of = dict(
        Programme.objects.filter(enrolments__school__in=schools).values_list(
            "enrolments__school_id", "pk"
        )
    )
    roles = [
        RoleAssignment(
            user=users[f"lead{p:02d}@bench.example.org"], role=Role.HUB_LEAD, programme=programme
        )
        for p, programme in enumerate(programmes)
    ]
    for n, school in enumerate(schools):
        roles += [
            RoleAssignment(
                user=users[f"sle{n // 10:03d}@bench.example.org"],
                role=Role.SLE,
                programme_id=programme_of[school.pk],
                school=school,
            ),
            RoleAssignment(
                user=users[f"head.{school.urn}@bench.example.org"],
                role=Role.HEADTEACHER,
                school=school,
            ),
            RoleAssignment(
                user=users[f"governor.{school.urn}@bench.example.org"],
                role=Role.GOVERNOR,
                school=school,
            ),
        ]
    RoleAssignment.objects.bulk_create(roles, batch_size=5000)
    return users


def delivery(rng, schools, programmes, users) -> None:
    staff = StaffMember.objects.bulk_create(
        (
            StaffMember(
                school=s,
                full_name=f"Teacher {n}",
                role=StaffRole.CLASS_TEACHER,
                year_group=n % 7,
                start_date=date(2018, 9, 1),
            )
            for s in schools
            for n in range(6)
        ),
        batch_size=5000,
    )
    staff_of = {}
    for member in staff:
        staff_of.setdefault(member.school_id, []).append(member)
    work_group_catalogue_ensure()
    kind = WorkGroupType.objects.get(name="Mastery Readiness")
    enrolled = {p.pk: list(p.enrolments.values_list("school_id", flat=True)) for p in programmes}
    for p, programme in enumerate(programmes):
        group = WorkGroup.objects.create(
            programme=programme,
            type=kind,
            name=f"Work group {p}",
            academic_year=2025,
            lead=users[f"lead{p:02d}@bench.example.org"],
        )
        group.schools.set(enrolled[programme.pk][:7])
    events = Event.objects.bulk_create(
        (
            Event(
                programme=programmes[n % PROGRAMMES],
                kind=EventKind.CLUSTER_WORKSHOP,
                title=f"Workshop {n}",
                starts_at=datetime(2025, 9, 15, tzinfo=UTC) + timedelta(days=n % 300),
            )
            for n in range(EVENTS)
        ),
        batch_size=2000,
    )
    registers = []
    for event in events:
        for school_id in rng.sample(enrolled[event.programme_id], 2):
            registers += [
                Attendance(event=event, staff_member=m, present=rng.random() < 0.85)
                for m in staff_of[school_id]
            ]
    Attendance.objects.bulk_create(registers, batch_size=10000)
    sle_of = dict(RoleAssignment.objects.filter(role=Role.SLE).values_list("school_id", "user_id"))
    programme_of = {s: p for p, ids in enrolled.items() for s in ids}
    visits = []
    for n in range(VISITS):
        school = schools[n % SCHOOLS]
        visit = RecordOfVisit(
            programme_id=programme_of[school.pk],
            school=school,
            sle_id=sle_of[school.pk],
            visit_date=date(2025, 9, 20) + timedelta(days=n % 280),
            kind=rng.choice(VisitKind.values),
            length="half_day",
            year_groups=sorted(rng.sample(range(7), 2)),
        )
        visit.days = visit.length_in_days()
        visits.append(visit)
    RecordOfVisit.objects.bulk_create(visits, batch_size=5000)


def results(rng, programmes) -> int:
    """Each programme's three windows, one upload each, through the upload pipeline. As in
    real files, every 30th pupil of a school leaves after the first window, two join after
    it, and each file lists its pupils in an order of its own."""
    total = 0
    for programme in programmes:
        schools = list(
            School.objects.filter(enrolments__programme=programme)
            .select_related("local_authority")
            .order_by("urn")
        ) + list(
            School.objects.filter(comparisons__programme=programme)
            .select_related("local_authority")
            .order_by("urn")
        )
        pupils = [
            (
                pupil_upn(s.local_authority.code, s.urn % 10000, n),
                s.urn,
                rng.random() < 0.3,
                rng.choices("NKE", [86, 12, 2])[0],
                rng.gauss(0, 1),
                rng.randint(3, 6),
            )
            for s in schools
            for n in range(PUPILS_PER_SCHOOL + 2)
        ]
        for number, (slug, _, _, gain) in enumerate(WINDOWS):
            sitting = [p for n, p in enumerate(pupils) if _sits(n, number)]
            rng.shuffle(sitting)
            window = programme.assessment_windows.get(slug=slug)
            upload = services.upload_store(
                uploaded_by=None,
                window=window,
                school=None,
                file=ContentFile(_results_csv(rng, sitting, gain), name=f"{slug}.csv"),
            )
            services.upload_validate(upload=upload)
            upload.refresh_from_db()
            services.upload_import_now(upload=upload)
            total += len(sitting)
    return total


def _results_csv(rng, pupils, gain: float) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["UPN", "URN", "Year group", "Disadvantaged", "SEND", "Score"])
    for upn, urn, disadvantaged, send, ability, year in pupils:
        score = 100 - 4 * disadvantaged - 6 * (send != "N") + 6 * ability + gain
        score = max(80, min(120, round(score + rng.gauss(0, 3))))
        writer.writerow([upn, urn, year, "Y" if disadvantaged else "N", send, score])
    return out.getvalue().encode()


def _sits(n: int, window_number: int) -> bool:
    """Whether the n-th pupil of the programme sits window `window_number`: leavers (every
    30th pupil of a school) only the first, joiners (the last two) only the later ones."""
    serial = n % (PUPILS_PER_SCHOOL + 2)
    if serial >= PUPILS_PER_SCHOOL:
        return window_number > 0
    return window_number == 0 or serial % 30 != 29


def main() -> None:
    rng = random.Random(SEED)  # noqa: S311 - reproducible benchmark data
    started = time.perf_counter()
    print(f"Register: {schools_upsert_from_register(content=register_file(rng))}", flush=True)
    started = step("schools", started)
    for spec in programme_files():
        programme_load(spec=read_programme_file(json.dumps(spec).encode()))
    programmes = list(Programme.objects.order_by("slug"))
    schools = list(School.objects.order_by("urn"))
    started = step("programmes", started)
    users = people(schools, programmes)
    started = step("people", started)
    delivery(rng, schools, programmes, users)
    started = step("staff, work groups, events, registers, visits", started)
    count = results(rng, programmes)
    started = step(f"{count:,} results through the upload pipeline", started)
    for programme in programmes:
        reports.report_compute(programme_id=programme.pk)
    step("reports", started)


if __name__ == "__main__":
    sys.exit(main())
