from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Min,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from schools.models import School, StaffMember, StaffRole

from .models import CORE_CPD_KINDS, Attendance, Event, EventKind, WorkGroup

# The staff the programme's CPD is for.
CPD_ROLES = (StaffRole.CLASS_TEACHER, StaffRole.TEACHING_ASSISTANT, StaffRole.MATHS_LEAD)


def current_staff(on: date | None = None) -> QuerySet[StaffMember]:
    on = on or timezone.localdate()
    return StaffMember.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on)).filter(
        start_date__lte=on
    )


def work_groups(*, programme) -> QuerySet[WorkGroup]:
    return (
        programme.work_groups.select_related("type", "lead")
        .annotate(school_count=Count("schools", distinct=True))
        .order_by("-academic_year", "name")
    )


def work_group_detail(*, programme, pk: int) -> WorkGroup:
    return (
        programme.work_groups.select_related("type", "lead")
        .prefetch_related(
            Prefetch(
                "schools",
                queryset=School.objects.select_related("local_authority").order_by("name"),
            ),
            Prefetch(
                "participants__staff_member",
                queryset=StaffMember.objects.select_related("school"),
            ),
            Prefetch("events", queryset=Event.objects.order_by("starts_at")),
        )
        .get(pk=pk)
    )


def events(*, programme) -> QuerySet[Event]:
    return programme.events.select_related("work_group").annotate(
        present=Count("register", filter=Q(register__present=True))
    )


def register_candidates(*, event: Event) -> QuerySet[StaffMember]:
    """Who is expected at an event: a work group's participants; otherwise the current CPD
    staff of the invited schools, or of every school in the programme."""
    if event.work_group_id:
        staff = StaffMember.objects.filter(work_groups__work_group=event.work_group_id)
    else:
        invited = event.schools.all()
        schools = invited if invited.exists() else event.programme.enrolments.values("school")
        staff = current_staff(event.starts_at.date()).filter(school__in=schools, role__in=CPD_ROLES)
    return staff.select_related("school").order_by("school__name", "full_name")


def register(*, event: Event) -> list[tuple[StaffMember, bool | None]]:
    """Each expected person with their mark: True present, False absent, None not yet taken.
    Someone marked who is no longer expected (they left) stays on the register."""
    marks = dict(event.register.values_list("staff_member_id", "present"))
    expected = list(register_candidates(event=event))
    expected_ids = {staff.pk for staff in expected}
    former = StaffMember.objects.filter(pk__in=marks.keys() - expected_ids).select_related("school")
    return [(staff, marks.get(staff.pk)) for staff in [*expected, *former]]


@dataclass(frozen=True)
class CpdCounts:
    staff_count: int
    trained_count: int

    @property
    def untrained_count(self) -> int:
        return self.staff_count - self.trained_count


@dataclass(frozen=True)
class CpdCoverage(CpdCounts):
    launch: date | None
    untrained: list[StaffMember]


def _cpd_staff(programme, school=None, role: str = ""):
    """Current CPD staff of the programme's schools (or of one school, in one role), each
    marked with whether they have been at a launch or catch-up session."""
    # Who has been, found once (IN, which PostgreSQL hashes) rather than looked up for each
    # member of staff (EXISTS, a scan of the programme's events for each).
    trained = Attendance.objects.filter(
        event__programme=programme, event__kind__in=CORE_CPD_KINDS, present=True
    ).values("staff_member_id")
    staff = current_staff().filter(school__enrolments__programme=programme, role__in=CPD_ROLES)
    if school is not None:
        staff = staff.filter(school=school)
    if role:
        staff = staff.filter(role=role)
    return staff.annotate(
        had_core_cpd=ExpressionWrapper(Q(pk__in=trained), output_field=BooleanField())
    )


def cpd_counts(*, programme) -> CpdCounts:
    """How many of those staff there are, and how many are trained: one query, for pages
    that show the figures only (a programme can have thousands of staff)."""
    counts = _cpd_staff(programme).aggregate(
        staff=Count("pk"), trained=Count("pk", filter=Q(had_core_cpd=True))
    )
    return CpdCounts(staff_count=counts["staff"], trained_count=counts["trained"])


def cpd_coverage(*, programme, school=None) -> CpdCoverage:
    """Those staff who have not yet been at a launch or catch-up session: the people to book
    onto catch-up CPD."""
    untrained = list(catch_up_cpd(programme=programme, school=school))
    staff_count = _cpd_staff(programme, school).count()
    return CpdCoverage(
        staff_count=staff_count,
        trained_count=staff_count - len(untrained),
        launch=launch_date(programme=programme),
        untrained=untrained,
    )


def catch_up_cpd(*, programme, school=None, role: str = "") -> QuerySet[StaffMember]:
    """Those who still need the core CPD (of one school and one role, if given), by school:
    the list to book onto catch-up CPD."""
    staff = _cpd_staff(programme, school, role).filter(had_core_cpd=False)
    return staff.select_related("school").order_by("school__name", "full_name")


def launch_date(*, programme) -> date | None:
    """The day of the programme's first launch training: staff who started after it cannot
    have been there."""
    launch = programme.events.filter(kind=EventKind.LAUNCH_TRAINING).aggregate(
        first=Min("starts_at")
    )["first"]
    return timezone.localtime(launch).date() if launch else None


@dataclass(frozen=True)
class SchoolCpd:
    """One school's CPD staff as the coverage page lists them, the untrained first."""

    school: School
    counts: CpdCounts
    staff: list[StaffMember]


@dataclass(frozen=True)
class CpdCoverageBySchool:
    programme_counts: CpdCounts  # every school and role, whatever the filter
    schools: list[SchoolCpd]  # the most staff still to train first


def cpd_coverage_by_school(
    *, programme, school=None, role: str = "", trained: bool | None = None
) -> CpdCoverageBySchool:
    """The programme's CPD staff school by school. The filters (a school, a role, trained or
    not) choose whom to list; a school's counts are of its staff in the role chosen, trained
    or not, so that a list of the untrained still says how many were trained. Two queries,
    whatever the number of schools."""
    tallies = list(
        _cpd_staff(programme)
        .order_by()
        .values("school_id", "role")
        .annotate(staff=Count("pk"), trained=Count("pk", filter=Q(had_core_cpd=True)))
    )
    in_role: dict[int, list[dict]] = {}
    for tally in tallies:
        if not role or tally["role"] == role:
            in_role.setdefault(tally["school_id"], []).append(tally)
    listed = _cpd_staff(programme, school, role)
    if trained is not None:
        listed = listed.filter(had_core_cpd=trained)
    by_school: dict[int, list[StaffMember]] = {}
    for person in listed.select_related("school__local_authority").order_by(
        "had_core_cpd", "full_name", "pk"
    ):
        by_school.setdefault(person.school_id, []).append(person)
    schools = [
        SchoolCpd(school=staff[0].school, counts=_summed(in_role[school_id]), staff=staff)
        for school_id, staff in by_school.items()
    ]
    schools.sort(key=lambda s: (-s.counts.untrained_count, s.school.name, s.school.urn))
    return CpdCoverageBySchool(programme_counts=_summed(tallies), schools=schools)


def _summed(tallies: list[dict]) -> CpdCounts:
    return CpdCounts(
        staff_count=sum(tally["staff"] for tally in tallies),
        trained_count=sum(tally["trained"] for tally in tallies),
    )
