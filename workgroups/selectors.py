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


@dataclass(frozen=True)
class CpdCoverage(CpdCounts):
    launch: date | None
    untrained: list[StaffMember]


def _cpd_staff(programme, school=None):
    """Current CPD staff of the programme's schools, each marked with whether they have been
    at a launch or catch-up session."""
    # Who has been, found once (IN, which PostgreSQL hashes) rather than looked up for each
    # member of staff (EXISTS, a scan of the programme's events for each).
    trained = Attendance.objects.filter(
        event__programme=programme, event__kind__in=CORE_CPD_KINDS, present=True
    ).values("staff_member_id")
    staff = current_staff().filter(school__enrolments__programme=programme, role__in=CPD_ROLES)
    if school is not None:
        staff = staff.filter(school=school)
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
    staff = _cpd_staff(programme, school)
    launch = programme.events.filter(kind=EventKind.LAUNCH_TRAINING).aggregate(
        first=Min("starts_at")
    )["first"]
    untrained = list(
        staff.filter(had_core_cpd=False)
        .select_related("school")
        .order_by("school__name", "full_name")
    )
    staff_count = staff.count()
    return CpdCoverage(
        staff_count=staff_count,
        trained_count=staff_count - len(untrained),
        launch=timezone.localtime(launch).date() if launch else None,
        untrained=untrained,
    )
