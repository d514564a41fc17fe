"""Reads of records of visit, action plans and coverage, and the SLE days visits used."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from programmes.models import Cohort, Enrolment, Programme
from programmes.selectors import enrolments
from schools.models import LocalAuthority, School, StaffMember
from schools.year_groups import year_groups_for

from .models import Action, ActionStatus, RecordOfVisit

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


def _days_used_subquery():
    visits = (
        RecordOfVisit.objects.filter(programme=OuterRef("programme"), school=OuterRef("school"))
        .values("school")
        .annotate(total=Sum("days"))
        .values("total")
    )
    return Coalesce(Subquery(visits), ZERO)


def enrolments_with_days_used(
    *,
    programme: Programme,
    cohort: Cohort | None = None,
    local_authority: LocalAuthority | None = None,
    search: str = "",
    over_allocation: bool = False,
) -> QuerySet[Enrolment]:
    """A programme's schools with their allocation and the SLE days their visits used."""
    rows = enrolments(
        programme=programme, cohort=cohort, local_authority=local_authority, search=search
    ).annotate(sle_days_used=_days_used_subquery())
    if over_allocation:
        rows = rows.filter(sle_days_used__gt=F("sle_days_allocated"))
    return rows


@dataclass(frozen=True)
class SleDays:
    allocated: Decimal
    used: Decimal
    schools_over: int

    @property
    def over(self) -> bool:
        return self.used > self.allocated


def sle_days(*, programme: Programme) -> SleDays:
    allocated = programme.enrolments.aggregate(total=Coalesce(Sum("sle_days_allocated"), ZERO))
    used = RecordOfVisit.objects.filter(
        programme=programme, school__enrolments__programme=programme
    ).aggregate(total=Coalesce(Sum("days"), ZERO))
    schools_over = enrolments_with_days_used(programme=programme, over_allocation=True).count()
    return SleDays(allocated["total"], used["total"], schools_over)


def visit_detail(visit):
    """A record of visit with everything its page shows, in a fixed number of queries."""

    return (
        RecordOfVisit.objects.select_related("school", "sle", "programme", "acknowledged_by")
        .prefetch_related(
            "focus_areas",
            "staff_worked_with",
            "actions_raised",
            "photos",
            "action_updates__action",
            "answers__question",
            "form_version__questions",
        )
        .get(pk=visit.pk)
    )


def action_plan(*, school: School):
    """Open actions first (by due date), then done ones; each with the visit that raised it
    and its latest update; and the school's risks."""

    actions = list(
        Action.objects.filter(school=school)
        .select_related("raised_at_visit__sle", "owner_account")
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

    schools = list(schools.select_related("local_authority").order_by("name", "urn"))
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


def visit_year_groups(*, programme, schools) -> set[int]:
    """The year groups the programme's visits to `schools` covered."""
    years: set[int] = set()
    for covered in RecordOfVisit.objects.filter(
        programme=programme, school__in=schools
    ).values_list("year_groups", flat=True):
        years.update(covered)
    return years


# Before a visit falls due, the SLE is told this many days ahead.
VISIT_DUE_NOTICE = timedelta(days=7)


@dataclass(frozen=True)
class NextVisit:
    """When a school in a programme should next be visited: one visit interval after its last
    visit in the programme (or after its cohort started, before the first)."""

    enrolment: Enrolment
    last_visit: date | None
    due_on: date
    today: date

    @property
    def overdue(self) -> bool:
        return self.due_on < self.today

    @property
    def due_soon(self) -> bool:
        return not self.overdue and self.due_on - VISIT_DUE_NOTICE <= self.today


def next_visits(*, enrolments: QuerySet[Enrolment], today: date | None = None) -> list[NextVisit]:
    """The next visit of each enrolment whose programme sets a visit interval and is still
    running, overdue first, then soonest due. One query, however many schools."""
    today = today or timezone.localdate()
    last = RecordOfVisit.objects.filter(
        programme=OuterRef("programme"), school=OuterRef("school"), visit_date__lte=today
    ).values("school")
    rows = (
        enrolments.filter(
            programme__visit_interval_days__isnull=False, programme__end_date__gte=today
        )
        .select_related("school", "programme", "cohort")
        .annotate(last_visit=Subquery(last.annotate(last=Max("visit_date")).values("last")))
    )
    found = []
    for enrolment in rows:
        since = enrolment.last_visit or max(
            enrolment.cohort.start_date, enrolment.programme.start_date
        )
        interval = timedelta(days=enrolment.programme.visit_interval_days)
        found.append(NextVisit(enrolment, enrolment.last_visit, since + interval, today))
    return sorted(found, key=lambda n: (n.due_on, n.enrolment.school.name))


def next_visits_of_sle(*, sle, today: date | None = None) -> list[NextVisit]:
    """The schools an SLE supports, with when each is next due a visit."""
    assigned = RoleAssignment.objects.filter(
        user=sle, role=Role.SLE, programme=OuterRef("programme"), school=OuterRef("school")
    )
    return next_visits(enrolments=Enrolment.objects.filter(Exists(assigned)), today=today)


def schools_overdue_for_visit(*, programmes, today: date | None = None) -> list[NextVisit]:
    overdue = next_visits(
        enrolments=Enrolment.objects.filter(programme__in=programmes), today=today
    )
    return [n for n in overdue if n.overdue]


def schools_over_allocation_count(*, programmes) -> dict[int, int]:
    """How many schools of each programme have used more SLE days than allocated. One query."""
    rows = (
        Enrolment.objects.filter(programme__in=programmes)
        .annotate(sle_days_used=_days_used_subquery())
        .filter(sle_days_used__gt=F("sle_days_allocated"))
        .values("programme")
        .annotate(schools=Count("pk"))
    )
    return {row["programme"]: row["schools"] for row in rows}


def programme_year_groups(*, programmes, school: School) -> list[int]:
    """The year groups a visit for these programmes may cover at this school: those their
    work groups' class teachers teach and their visits have covered (a KS1 programme offers
    Reception to Year 2), within the school's phase; failing both, the whole phase."""
    phase = year_groups_for(school)
    taught = StaffMember.objects.filter(
        work_groups__work_group__programme__in=programmes, year_group__isnull=False
    ).values_list("year_group", flat=True)
    years = set(taught)
    # Each distinct set of year groups once: a programme has thousands of visits, not of sets.
    covered = RecordOfVisit.objects.filter(programme__in=programmes).order_by()
    for each in covered.values_list("year_groups", flat=True).distinct():
        years |= set(each)
    return [n for n in phase if n in years] or phase
