"""Reads that gather several apps' data for one page: a school's programmes, the governor
and funder reports, an SLE's home, and what is overdue at the top of a dashboard."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from evaluation.models import AssessmentWindow, EntryKind, ReportEntry, ReportSnapshot, WindowKind
from programmes.models import Enrolment, Programme
from programmes.selectors import budget, local_authorities_with_school_counts
from schools.models import School
from visits.models import Action, ActionStatus, RecordOfVisit
from visits.selectors import NextVisit, sle_days
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
    # An action past its due date counts as overdue, not by the RAG it was last given.
    open_counts = {"Overdue": 0} | {
        label: 0 for value, label in ActionStatus.choices if value != ActionStatus.DONE
    }
    for action in Action.objects.filter(school=school).open().only("status", "due_date"):
        open_counts[action.status_label] += 1
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
    """What an SLE follows: their latest visits, the open actions of their schools not yet
    overdue (soonest due first; the overdue ones head the page, from `overdue`), and the SLE
    days they have used against their schools' allocations."""
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
            Action.objects.open()
            .filter(school__in=school_ids)
            .exclude(due_date__lt=today)
            .select_related("school")
            .order_by("due_date", "pk")[:15]
        ),
        "days_used": sum(mine.values_list("days", flat=True), Decimal(0)),
        "days_allocated": sum(allocated, Decimal(0)),
    }


def overdue_action_count(*, school: School) -> int:
    return Action.objects.overdue_on(timezone.localdate()).filter(school=school).count()


@dataclass(frozen=True)
class Overdue:
    """What a dashboard lists first: the first of the schools overdue for a visit (most
    overdue first) and of the actions past their due date and not done, with how many of
    each there are."""

    visits: list[NextVisit]
    visit_count: int
    actions: list[Action]
    action_count: int

    def __bool__(self) -> bool:
        return bool(self.visit_count or self.action_count)


def overdue(*, visits_due: list[NextVisit], schools, shown: int) -> Overdue:
    """What is overdue at `schools` (a queryset of their ids): of `visits_due`, those overdue;
    and the actions past due. The first `shown` of each, with their counts. Two queries."""
    visits = [due for due in visits_due if due.overdue]
    actions = Action.objects.overdue_on(timezone.localdate()).filter(school__in=schools)
    return Overdue(
        visits=visits[:shown],
        visit_count=len(visits),
        actions=list(actions.select_related("school").order_by("due_date", "pk")[:shown]),
        action_count=actions.count(),
    )


def end_of_year_attainment(*, programmes, school: School | None = None) -> list[tuple]:
    """The attainment entries (every year group) at the end windows of `programmes`, from
    each one's latest stored report: of one school, or else of each programme as a whole.
    Rows of (programme id, programme name, report threshold, window date, year group,
    figures). One query: each entry's window is found by its slug among its programme's end
    windows (a window removed since the report was stored leaves its entries out)."""
    programme = OuterRef("snapshot__programme")
    latest = ReportSnapshot.objects.filter(programme=programme).order_by("-data_version")
    ends = AssessmentWindow.objects.filter(
        programme=programme, kind=WindowKind.END, slug=OuterRef("window")
    )
    entries = ReportEntry.objects.filter(
        snapshot__programme__in=programmes,
        snapshot=Subquery(latest.values("pk")[:1]),
        kind=EntryKind.ATTAINMENT,
        scope_type="school" if school else "programme",
        scope_id=school.pk if school else F("snapshot__programme_id"),
    ).annotate(window_date=Subquery(ends.values("date")[:1]))
    return list(
        entries.filter(window_date__isnull=False).values_list(
            "snapshot__programme_id",
            "snapshot__programme__name",
            "snapshot__threshold",
            "window_date",
            "year_group",
            "figures",
        )  # fmt: skip
    )
