"""The Monday summary for hub leads: for each running programme they lead, what is overdue and
what waits on them. A fixed number of queries, however many programmes and leads."""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Exists, OuterRef, Sum
from django.urls import reverse

from accounts.models import Role, RoleAssignment
from evaluation.models import AssessmentUpload, ReportFailure, UploadStatus
from programmes.models import BudgetLine, Enrolment, Programme, SpendEntry
from visits.models import Action
from visits.selectors import next_visits, schools_over_allocation_count

from .models import Kind
from .selectors import Due


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _overdue_actions(programmes, today: date) -> dict[int, int]:
    counts = (
        Action.objects.overdue_on(today)
        .filter(school__enrolments__programme__in=programmes)
        .values("school__enrolments__programme")
        .annotate(actions=Count("pk", distinct=True))
    )
    return {row["school__enrolments__programme"]: row["actions"] for row in counts}


def _overdue_visits(programmes, today: date) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for visit in next_visits(
        enrolments=Enrolment.objects.filter(programme__in=programmes), today=today
    ):
        counts[visit.enrolment.programme_id] += visit.overdue
    return counts


def _uploads(programmes) -> dict[tuple[int, str], int]:
    waiting = (
        AssessmentUpload.objects.filter(
            window__programme__in=programmes, status__in=(UploadStatus.READY, UploadStatus.FAILED)
        )
        .values("window__programme", "status")
        .annotate(uploads=Count("pk"))
    )
    return {(row["window__programme"], row["status"]): row["uploads"] for row in waiting}


def _money(programmes) -> tuple[dict, dict]:
    budgets = BudgetLine.objects.filter(programme__in=programmes).values("programme")
    spend = SpendEntry.objects.filter(budget_line__programme__in=programmes).values(
        "budget_line__programme"
    )
    return (
        {row["programme"]: row["total"] for row in budgets.annotate(total=Sum("amount"))},
        {
            row["budget_line__programme"]: row["total"]
            for row in spend.annotate(total=Sum("amount"))
        },
    )


def _programme_lines(programme, figures) -> list[str]:
    actions, visits, over, uploads, failed, budgets, spend = figures
    budget, spent = budgets.get(programme.pk, 0), spend.get(programme.pk, 0)
    share = f" ({round(100 * spent / budget)}%)" if budget else ""
    lines = [
        f"{programme.name}:",
        f"  {_plural(actions.get(programme.pk, 0), 'action')} overdue",
        f"  {_plural(visits.get(programme.pk, 0), 'school')} overdue for a visit",
        f"  {_plural(over.get(programme.pk, 0), 'school')} with more SLE days used than allocated",
        f"  {_plural(uploads.get((programme.pk, UploadStatus.READY), 0), 'upload')} waiting for"
        " confirmation",
        f"  {_plural(uploads.get((programme.pk, UploadStatus.FAILED), 0), 'upload')} failed",
        f"  Spend £{spent:,.0f} of a £{budget:,.0f} budget{share}",
    ]
    if programme.pk in failed:
        lines.insert(1, "  The evaluation report failed: retry it from the report page")
    return lines


def hub_digests(*, today: date, monday: date) -> list[Due]:
    """One summary a week for each hub lead, of the running programmes they lead."""
    leads = RoleAssignment.objects.filter(
        role=Role.HUB_LEAD, programme=OuterRef("pk"), user__is_active=True
    )
    programmes = list(Programme.objects.filter(Exists(leads), end_date__gte=today).order_by("name"))
    figures = (
        _overdue_actions(programmes, today),
        _overdue_visits(programmes, today),
        schools_over_allocation_count(programmes=programmes),
        _uploads(programmes),
        set(
            ReportFailure.objects.filter(programme__in=programmes).values_list(
                "programme", flat=True
            )
        ),
        *_money(programmes),
    )
    by_pk = {programme.pk: programme for programme in programmes}
    led: dict[str, list] = defaultdict(list)
    assignments = RoleAssignment.objects.filter(
        role=Role.HUB_LEAD, programme__in=programmes, user__is_active=True
    ).values_list("user__email", "programme_id")
    for email, programme_id in assignments:
        led[email.lower()].append(by_pk[programme_id])
    return [
        Due(
            kind=Kind.HUB_DIGEST,
            about=f"week of {monday}",
            email=email,
            subject=f"Your programmes this week: {monday:%-d %B %Y}",
            link=reverse("home"),
            lines=[
                line
                for p in sorted(mine, key=lambda p: p.name)
                for line in _programme_lines(p, figures)
            ],
        )
        for email, mine in sorted(led.items())
    ]
