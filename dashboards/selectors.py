"""Reads that gather several apps' data for one page: a school's programmes, the governor
and funder reports, and an SLE's home."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone

from programmes.models import Enrolment, Programme
from programmes.selectors import budget, local_authorities_with_school_counts
from schools.models import School
from visits.models import Action, ActionStatus, RecordOfVisit
from visits.selectors import sle_days
from workgroups.models import Attendance
from workgroups.selectors import cpd_counts


def school_enrolments(*, school: School, programmes: QuerySet) -> QuerySet[Enrolment]:
    """The school's enrolments in `programmes` (those the reader may see)."""
    return (
        school.enrolments.filter(programme__in=programmes)
        .select_related("programme", "cohort")
        .order_by("-cohort__start_date")
    )


def schools_taking_part(*, programme: Programme) -> dict:
    """How many schools the programme has enrolled, and how many compare for it: one query."""
    return Programme.objects.filter(pk=programme.pk).aggregate(
        enrolled=Count("enrolments", distinct=True),
        comparison=Count("comparison_schools", distinct=True),
    )


def funder_report(*, programme: Programme) -> dict:
    """What a funder asks of a programme: reach, KPIs against targets, money and SLE time,
    CPD, and (from the evaluation) attainment, gaps and effect sizes."""
    return {
        "schools": programme.enrolments.count(),
        "comparison_schools": programme.comparison_schools.count(),
        "local_authorities": local_authorities_with_school_counts(programme=programme).count(),
        "kpis": list(programme.kpis.all()),
        "budget": budget(programme=programme),
        "sle_days": sle_days(programme=programme),
        "visits": programme.visits.count(),
        "cpd": cpd_counts(programme=programme),
        "events": programme.events.count(),
    }


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
