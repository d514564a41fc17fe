"""Demo CPD: launch training and termly cluster workshops for each cohort, catch-up CPD for
new staff, governor and parent sessions, and five work groups with their workshops, with
registers for what has already happened."""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from programmes.models import Programme
from schools.models import StaffMember, StaffRole
from workgroups.models import (
    Attendance,
    Event,
    EventKind,
    ParticipantRole,
    WorkGroup,
    WorkGroupParticipant,
    WorkGroupType,
)
from workgroups.selectors import CPD_ROLES
from workgroups.services import work_group_catalogue_ensure

from .delivery import ACADEMIC_YEAR, DEMO_TODAY

WORK_GROUPS = (
    ("Mastery Readiness", "Mastery Readiness: Thames"),
    ("Mastery Readiness", "Mastery Readiness: Lea Valley"),
    ("Primary Maths Subject Knowledge Enhancement", "Primary SKE: Central"),
    ("Subject Knowledge Enhancement for Support Staff", "TA SKE: East"),
    ("SEND and Mathematics Partnership", "SEND partnership: South"),
)
VENUES = ("Hub training centre, Southwark", "Oakfield Primary School", "City Hall, Newham")


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _staff_by_school(programme: Programme) -> dict[int, list[StaffMember]]:
    staff = defaultdict(list)
    for member in StaffMember.objects.filter(
        school__enrolments__programme=programme, role__in=CPD_ROLES
    ):
        staff[member.school_id].append(member)
    return staff


def _in_post(members: list[StaffMember], on: date) -> list[StaffMember]:
    return [m for m in members if m.start_date <= on and (m.end_date is None or m.end_date >= on)]


def load(rng: random.Random, programme: Programme, users: dict) -> int:
    """Returns how many class teachers have had the core CPD, for the KPI."""
    staff = _staff_by_school(programme)
    schools_of = defaultdict(list)
    for cohort_id, school_id in programme.enrolments.values_list("cohort_id", "school_id"):
        schools_of[cohort_id].append(school_id)
    events, invited, register = [], [], []

    def add(event: Event, school_ids: list[int], people: list[StaffMember], rate: float):
        events.append(event)
        invited.append(school_ids)
        past = event.starts_at.date() <= DEMO_TODAY
        register.append([(m, rng.random() < rate) for m in people] if past else [])

    def event(kind: str, title: str, day: date, hour: int = 9, **fields) -> Event:
        return Event(
            programme=programme, kind=kind, title=title, starts_at=_at(day, hour), **fields
        )

    for cohort in programme.cohorts.order_by("start_date"):
        ids = schools_of[cohort.pk]
        launch = cohort.start_date + timedelta(days=16)
        in_post = [m for i in ids for m in _in_post(staff[i], launch)]
        launch_event = event(
            EventKind.LAUNCH_TRAINING,
            f"Launch training: {cohort.name}",
            launch,
            venue=VENUES[0],
            facilitator="Helen Marsh",
            audience="KS1 teachers and TAs",
        )
        add(launch_event, ids, in_post, 0.92)
        for term in range(1, 4):
            day = launch + timedelta(weeks=12 * term)
            in_post = [m for i in ids for m in _in_post(staff[i], day)]
            teachers = [m for m in in_post if m.role == StaffRole.CLASS_TEACHER]
            title = f"Cluster workshop {term}: {cohort.name}"
            workshop = event(EventKind.CLUSTER_WORKSHOP, title, day, 13, venue=rng.choice(VENUES))
            add(workshop, ids, teachers, 0.8)

    started = [c for c in programme.cohorts.all() if c.start_date <= date(2026, 1, 31)]
    catch_up_ids = [i for cohort in started for i in schools_of[cohort.pk]]
    new_staff = [m for i in catch_up_ids for m in staff[i] if m.start_date >= date(2026, 9, 1)]
    catch_up = event(
        EventKind.CATCH_UP_CPD,
        "Catch-up CPD for new staff",
        date(2026, 10, 7),
        16,
        venue=VENUES[0],
        audience="Teachers and TAs new to programme schools",
    )
    add(catch_up, catch_up_ids, new_staff, 0.5)
    governors = event(
        EventKind.GOVERNOR_TRAINING,
        "Governor training: what mastery looks like",
        date(2025, 10, 8),
        18,
        venue=VENUES[2],
        audience="Governors",
    )
    add(governors, [], [], 0)
    parents = event(
        EventKind.PARENT_WORKSHOP,
        "Maths at home: a workshop for parents",
        date(2026, 3, 4),
        15,
        venue=VENUES[1],
        audience="Parents of KS1 pupils",
        parent_headcount=23,
    )
    add(parents, [], [], 0)

    _add_work_groups(rng, programme, users, staff, started, schools_of, add)

    events = Event.objects.bulk_create(events)
    Event.schools.through.objects.bulk_create(
        Event.schools.through(event_id=event.pk, school_id=school_id)
        for event, ids in zip(events, invited, strict=True)
        for school_id in ids
    )
    Attendance.objects.bulk_create(
        Attendance(event=event, staff_member=member, present=present)
        for event, marks in zip(events, register, strict=True)
        for member, present in marks
    )
    return (
        Attendance.objects.filter(
            event__programme=programme,
            event__kind__in=[EventKind.LAUNCH_TRAINING, EventKind.CATCH_UP_CPD],
            present=True,
            staff_member__role=StaffRole.CLASS_TEACHER,
        )
        .values("staff_member")
        .distinct()
        .count()
    )


def _add_work_groups(rng, programme, users, staff, started, schools_of, add) -> None:
    work_group_catalogue_ensure()
    types = {t.name: t for t in WorkGroupType.objects.all()}
    pool = [i for cohort in started for i in schools_of[cohort.pk]]
    rng.shuffle(pool)
    for index, (type_name, name) in enumerate(WORK_GROUPS):
        work_group = WorkGroup.objects.create(
            programme=programme,
            type=types[type_name],
            name=name,
            academic_year=ACADEMIC_YEAR,
            lead=users[f"sle{index + 1:02d}@example.org"],
        )
        ids = pool[index * 7 : index * 7 + 7]
        work_group.schools.set(ids)
        people = []
        for school_id in ids:
            in_post = _in_post(staff[school_id], date(2025, 10, 1))
            lead = next(m for m in in_post if m.role == StaffRole.MATHS_LEAD)
            teacher = next(m for m in in_post if m.role == StaffRole.CLASS_TEACHER)
            people += [(lead, ParticipantRole.MATHS_LEAD), (teacher, ParticipantRole.PARTICIPANT)]
        WorkGroupParticipant.objects.bulk_create(
            WorkGroupParticipant(work_group=work_group, staff_member=m, role=role)
            for m, role in people
        )
        # Spread over two and a half terms, clear of the school holidays.
        for n, weeks in enumerate((5, 9, 16, 22, 30), start=1):
            day = date(2025, 10, 1) + timedelta(weeks=weeks, days=2 * index)
            workshop = Event(
                programme=programme,
                work_group=work_group,
                kind=EventKind.WORK_GROUP_WORKSHOP,
                title=f"{name}: workshop {n}",
                starts_at=_at(day, 13),
                venue=rng.choice(VENUES),
                facilitator=work_group.lead.full_name,
            )
            add(workshop, [], [m for m, _ in people], 0.85)
