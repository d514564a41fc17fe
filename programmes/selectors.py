from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import Role, RoleAssignment
from schools.models import LocalAuthority

from .models import (
    BudgetLine,
    Cohort,
    ComparisonSchool,
    Enrolment,
    EnrolmentInvitation,
    InterventionStrand,
    InvitationStatus,
    Programme,
    SpendEntry,
    StrandUptake,
)

# The ids of the schools taking part in programme %(programme)s, enrolled or compared with it,
# for set-based SQL over pupil data. Table names from the models; the programme a parameter.
TAKING_PART_SQL = (
    f"SELECT school_id FROM {Enrolment._meta.db_table} WHERE programme_id = %(programme)s "  # noqa: S608
    f"UNION SELECT school_id FROM {ComparisonSchool._meta.db_table} "
    "WHERE programme_id = %(programme)s"
)
ANSWERS_SHOWN = 20
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


def cohorts_with_school_counts(*, programme: Programme) -> QuerySet[Cohort]:
    return programme.cohorts.annotate(school_count=Count("enrolments")).order_by("start_date")


def local_authorities_with_school_counts(*, programme: Programme) -> QuerySet[LocalAuthority]:
    return (
        LocalAuthority.objects.filter(schools__enrolments__programme=programme)
        .annotate(school_count=Count("schools__enrolments"))
        .order_by("-school_count", "name")
    )


def programmes_with_school_counts(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    return programmes.annotate(school_count=Count("enrolments")).order_by("-start_date", "name")


def enrolments(
    *,
    programme: Programme,
    cohort: Cohort | None = None,
    local_authority: LocalAuthority | None = None,
    search: str = "",
) -> QuerySet[Enrolment]:
    """A programme's schools with their allocation (visits.selectors adds the days used)."""
    rows = (
        Enrolment.objects.filter(programme=programme)
        .select_related("school__local_authority", "cohort")
        .order_by("school__name")
    )
    if cohort:
        rows = rows.filter(cohort=cohort)
    if local_authority:
        rows = rows.filter(school__local_authority=local_authority)
    if search:
        term = search.strip()
        by_urn = Q(school__urn=int(term)) if term.isdigit() else Q()
        rows = rows.filter(Q(school__name__icontains=term) | by_urn)
    return rows


@dataclass(frozen=True)
class Budget:
    lines: list[BudgetLine]
    total: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.total - self.spent


def budget(*, programme: Programme) -> Budget:
    lines = list(
        programme.budget_lines.annotate(spent=Coalesce(Sum("spend__amount"), ZERO)).order_by(
            "category", "name"
        )
    )
    for line in lines:
        line.remaining = line.amount - line.spent
    total = sum((line.amount for line in lines), Decimal(0))
    spent = sum((line.spent for line in lines), Decimal(0))
    return Budget(lines, total, spent)


def recent_spend(*, programme: Programme, limit: int = 25):
    return (
        SpendEntry.objects.filter(budget_line__programme=programme)
        .select_related("budget_line", "school", "recorded_by")
        .order_by("-spent_on", "-id")[:limit]
    )


@dataclass(frozen=True)
class StrandRow:
    enrolment: Enrolment
    uptakes: list[StrandUptake | None]


def strand_uptake(*, programme: Programme) -> tuple[list[InterventionStrand], list[StrandRow]]:
    """Which enrolled school took up which strand: one row a school, one column a strand."""
    strands = list(programme.strands.order_by("name"))
    taken = {
        (uptake.strand_id, uptake.school_id): uptake
        for uptake in StrandUptake.objects.filter(strand__programme=programme)
    }
    rows = [
        StrandRow(enrolment, [taken.get((strand.pk, enrolment.school_id)) for strand in strands])
        for enrolment in programme.enrolments.select_related("school").order_by("school__name")
    ]
    return strands, rows


def strand_uptake_for(*, strand: InterventionStrand) -> list[tuple[Enrolment, StrandUptake | None]]:
    taken = {u.school_id: u for u in strand.uptakes.all()}
    return [
        (enrolment, taken.get(enrolment.school_id))
        for enrolment in strand.programme.enrolments.select_related("school").order_by(
            "school__name"
        )
    ]


def invitations_sent(*, programme: Programme, kind: str) -> QuerySet[EnrolmentInvitation]:
    """A programme's invitations of one kind still awaiting an answer, and those declined (an
    accepted one is an enrolment or a comparison school, listed as such)."""
    return (
        programme.invitations.filter(kind=kind)
        .exclude(status=InvitationStatus.ACCEPTED)
        .select_related("school__local_authority", "cohort", "invited_by")
        .order_by("status", "school__name")
    )


def invitations_for_answer(invitations: QuerySet[EnrolmentInvitation]):
    """Invitations awaiting an answer, oldest first, each saying whether its school has a
    headteacher account (a site admin answers for those that have none); and the latest
    answers given."""
    heads = RoleAssignment.objects.filter(school=OuterRef("school"), role=Role.HEADTEACHER)
    pending = (
        invitations.filter(status=InvitationStatus.PENDING)
        .annotate(has_headteacher=Exists(heads))
        .order_by("invited_at", "pk")
    )
    answered = invitations.exclude(status=InvitationStatus.PENDING).order_by("-decided_at")
    return pending, answered[:ANSWERS_SHOWN]
