from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from programmes.models import Enrolment

from .models import School, SchoolRegisterImport, StaffMember


def school_enrolments(*, school: School, programmes: QuerySet) -> QuerySet[Enrolment]:
    """The school's enrolments in `programmes` (those the reader may see)."""
    return (
        school.enrolments.filter(programme__in=programmes)
        .select_related("programme", "cohort")
        .order_by("-cohort__start_date")
    )


def schools_with_local_authority(schools: QuerySet[School]) -> QuerySet[School]:
    return schools.select_related("local_authority").order_by("local_authority__name", "name")


def register_imports() -> QuerySet[SchoolRegisterImport]:
    # The file itself can be tens of megabytes: never load it to show a status.
    return SchoolRegisterImport.objects.defer("content").select_related("uploaded_by")


def recent_register_imports(limit: int = 10) -> QuerySet[SchoolRegisterImport]:
    return register_imports()[:limit]


def schools_matching(
    schools: QuerySet[School],
    *,
    search: str = "",
    local_authority=None,
    phase: str = "",
    open_only: bool = False,
) -> QuerySet[School]:
    rows = schools.select_related("local_authority").order_by("name")
    if search:
        term = search.strip()
        match = Q(name__icontains=term) | Q(postcode__istartswith=term)
        if term.isdigit():
            match |= Q(urn=int(term))
        rows = rows.filter(match)
    if local_authority:
        rows = rows.filter(local_authority=local_authority)
    if phase:
        rows = rows.filter(phase__iexact=phase)
    if open_only:
        rows = rows.filter(is_open=True)
    return rows


def staff_of(*, school: School) -> tuple[list[StaffMember], list[StaffMember]]:
    """Current and former staff of a school: former ones stay on record so that staff
    changes can be seen."""
    today = timezone.localdate()
    staff = list(school.staff.order_by("role", "full_name"))
    current = [s for s in staff if s.end_date is None or s.end_date >= today]
    former = [s for s in staff if s.end_date is not None and s.end_date < today]
    return current, former


def visit_detail(visit):
    """A record of visit with everything its page shows, in a fixed number of queries."""
    from .models import RecordOfVisit

    return (
        RecordOfVisit.objects.select_related("school", "sle", "programme", "acknowledged_by")
        .prefetch_related(
            "focus_areas",
            "staff_worked_with",
            "actions_raised",
            "photos",
            "action_updates__action",
        )
        .get(pk=visit.pk)
    )


def action_plan(*, school: School):
    """Open actions first (by due date), then done ones; each with the visit that raised it
    and its latest update; and the school's risks."""
    from .models import Action, ActionStatus

    actions = list(
        Action.objects.filter(school=school)
        .select_related("raised_at_visit__sle")
        .prefetch_related("updates__visit")
        .order_by("due_date", "pk")
    )
    actions.sort(key=lambda a: a.status == ActionStatus.DONE)
    return actions, list(school.risks.all())


@dataclass
class CoverageRow:
    school: School
    cells: list  # per year group: (visits, last visit date)
    days_used: Decimal
    days_allocated: Decimal

    @property
    def over(self) -> bool:
        return self.days_used > self.days_allocated


def coverage(*, programme, schools: QuerySet[School], year_groups: list[int]) -> list[CoverageRow]:
    """Schools by year group: how many visits covered each, and when the last was; with SLE
    days used against allocated. Two queries, whatever the number of schools."""
    from .models import RecordOfVisit

    schools = list(schools.order_by("name"))
    allocated = dict(
        programme.enrolments.filter(school__in=schools).values_list(
            "school_id", "sle_days_allocated"
        )
    )
    counts: dict = {}
    used: dict = {}
    visits = RecordOfVisit.objects.filter(programme=programme, school__in=schools).values_list(
        "school_id", "visit_date", "year_groups", "days"
    )
    for school_id, visit_date, years, days in visits:
        used[school_id] = used.get(school_id, Decimal(0)) + days
        for year in years:
            count, last = counts.get((school_id, year), (0, None))
            counts[(school_id, year)] = (count + 1, max(last, visit_date) if last else visit_date)
    return [
        CoverageRow(
            school,
            [counts.get((school.pk, year), (0, None)) for year in year_groups],
            used.get(school.pk, Decimal(0)),
            allocated.get(school.pk, Decimal(0)),
        )
        for school in schools
    ]


@dataclass
class GovernorReport:
    school: School
    start: object
    end: object
    visits: list
    days: Decimal
    year_groups: list[int]
    actions_raised: list
    open_actions: dict  # status label -> count
    events: list  # (event, present)


def governor_report(*, school: School, start, end, programmes: QuerySet) -> GovernorReport:
    """What a governing body wants to know of the programme's work in its school over a
    period: visits, actions, CPD and (from the evaluation) attainment and gaps. Visits, the
    actions agreed at them and training are those of `programmes` (the reader's to see)."""
    from workgroups.models import Attendance

    from .models import Action, ActionStatus

    visits = list(
        school.visits.filter(visit_date__range=(start, end), programme__in=programmes)
        .select_related("sle")
        .prefetch_related("focus_areas")
        .order_by("visit_date")
    )
    raised = list(
        Action.objects.filter(
            school=school,
            raised_at_visit__visit_date__range=(start, end),
            raised_at_visit__programme__in=programmes,
        )
        .select_related("raised_at_visit")
        .order_by("raised_at_visit__visit_date", "pk")
    )
    open_counts = {label: 0 for value, label in ActionStatus.choices if value != ActionStatus.DONE}
    for status in school.actions.exclude(status=ActionStatus.DONE).values_list("status", flat=True):
        open_counts[ActionStatus(status).label] += 1
    events: dict = {}
    attended = Attendance.objects.filter(
        staff_member__school=school,
        present=True,
        event__starts_at__date__range=(start, end),
        event__programme__in=programmes,
    ).select_related("event")
    for attendance in attended:
        events.setdefault(attendance.event, 0)
        events[attendance.event] += 1
    return GovernorReport(
        school=school,
        start=start,
        end=end,
        visits=visits,
        days=sum((v.days for v in visits), Decimal(0)),
        year_groups=sorted({year for v in visits for year in v.year_groups}),
        actions_raised=raised,
        open_actions=open_counts,
        events=sorted(events.items(), key=lambda item: item[0].starts_at),
    )


def sle_home(*, user, school_ids) -> dict:
    """What an SLE follows: their latest visits, the open actions of their schools (soonest
    due first), and the SLE days they have used against their schools' allocations."""
    from programmes.models import Enrolment

    from .models import Action, ActionStatus, RecordOfVisit

    mine = RecordOfVisit.objects.filter(sle=user)
    today = timezone.localdate()
    allocated = (
        Enrolment.objects.filter(
            school__in=school_ids,
            programme__role_assignments__user=user,
            programme__role_assignments__role="sle",
        )
        .distinct()
        .values_list("sle_days_allocated", flat=True)
    )
    return {
        "upcoming": list(
            mine.filter(visit_date__gt=today).select_related("school").order_by("visit_date")[:10]
        ),
        "recent": list(
            mine.filter(visit_date__lte=today).select_related("school").order_by("-visit_date")[:10]
        ),
        "actions": list(
            Action.objects.filter(school__in=school_ids)
            .exclude(status=ActionStatus.DONE)
            .select_related("school")
            .order_by("due_date", "pk")[:15]
        ),
        "days_used": sum(mine.values_list("days", flat=True), Decimal(0)),
        "days_allocated": sum(allocated, Decimal(0)),
    }


def coverage_year_groups(*, programme, schools) -> list[int]:
    """The year groups a coverage matrix shows: those the programme's pupils are in, or its
    visits covered (a KS1 project shows Reception to Year 2, not the whole school); failing
    both, every year group of the schools' phases."""
    from evaluation.models import PupilYear

    from .forms import year_groups_for
    from .models import RecordOfVisit

    # The programme's own pupils: another programme's pupils at these schools are its own.
    pupil_years = PupilYear.objects.filter(school__in=schools, programme=programme)
    years = set(pupil_years.values_list("year_group", flat=True).distinct())
    for covered in RecordOfVisit.objects.filter(
        programme=programme, school__in=schools
    ).values_list("year_groups", flat=True):
        years.update(covered)
    phases = list(schools.values_list("phase", flat=True).distinct())  # asked always: same queries
    if not years:
        years = {n for phase in phases for n in year_groups_for(School(phase=phase))}
    return sorted(years) or [0]
