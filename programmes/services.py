from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.audit import audit, audit_all
from accounts.models import AuditAction, Role, RoleAssignment
from mathsprog.services import changed_fields, fields_write
from schools.models import School

from . import signals
from .models import (
    AllocationBand,
    Cohort,
    ComparisonSchool,
    Enrolment,
    EnrolmentInvitation,
    InvitationKind,
    InvitationStatus,
    Programme,
    SpendEntry,
    StrandUptake,
)

PROGRAMME_FIELDS = (
    "name", "slug", "funder", "funding_reference", "value", "start_date", "end_date", "aims",
    "local_authorities", "visit_interval_days",
)  # fmt: skip
# A school's allocation and its cohort on its page; which school or programme in the data admin.
ENROLMENT_FIELDS = ("programme", "cohort", "school", "sle_days_allocated", "funding_allocated")
SPEND_FIELDS = ("budget_line", "spent_on", "amount", "description", "school")


@transaction.atomic
def programme_create(*, created_by, **fields) -> Programme:
    """A new programme, led by whoever set it up."""
    programme = fields_write(Programme(), fields=fields, allowed=PROGRAMME_FIELDS)
    RoleAssignment.objects.create(user=created_by, role=Role.HUB_LEAD, programme=programme)
    return programme


def programme_data_changed(*, programme_id: int) -> None:
    """Call in the transaction that changes anything the programme's evaluation report rests
    on (results, schools, cohorts, comparison schools, work groups, windows, names): its data
    version goes up, and once that commits a worker recomputes the report (`evaluation`
    listens for the signal)."""
    programme_data_version_bump(programme_id=programme_id)
    signals.programme_data_changed.send(sender=Programme, programme_id=programme_id)


def programme_data_version_bump(*, programme_id: int) -> None:
    """The data version alone goes up: for the report itself, which is computing already."""
    Programme.objects.filter(pk=programme_id).update(data_version=F("data_version") + 1)


def school_programmes_data_changed(*, school_ids) -> None:
    """What reports show of these schools changed: every programme that enrols them or
    compares with them has changed data."""
    programme_ids = (
        Programme.objects.filter(
            Q(enrolments__school__in=school_ids) | Q(comparison_schools__school__in=school_ids)
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    for programme_id in programme_ids:
        programme_data_changed(programme_id=programme_id)


@transaction.atomic
def programme_update(*, programme: Programme, **fields) -> Programme:
    """The programme's name heads its report and names its comparison group."""
    renamed = changed_fields(programme, fields, ["name"])
    fields_write(programme, fields=fields, allowed=PROGRAMME_FIELDS)
    if renamed:
        programme_data_changed(programme_id=programme.pk)
    return programme


@dataclass(frozen=True)
class Allocation:
    """What each enrolled school gets: one uniform offer, or the programme's size bands."""

    sle_days: Decimal | None = None
    funding: Decimal | None = None
    by_size: bool = False


def allocation_for_school(school: School, bands: list[AllocationBand]) -> tuple[Decimal, Decimal]:
    """The band a school falls in by number on roll (bands run smallest first). A school with
    no known roll gets the smallest band, so a missing figure never over-allocates."""
    if not bands:
        raise ValidationError("Set the programme's allocation bands before allocating by size.")
    band = bands[0]
    if school.number_on_roll is not None:
        fits = [
            b for b in bands if b.up_to_pupils is None or school.number_on_roll <= b.up_to_pupils
        ]
        band = fits[0] if fits else bands[-1]
    return band.sle_days, band.funding


def _offers(programme: Programme, schools: list[School], allocation: Allocation) -> list:
    """(school, SLE days, funding) for each school: one uniform offer, or its size band's."""
    bands = list(programme.allocation_bands.all()) if allocation.by_size else []
    offers = []
    for school in schools:
        if allocation.by_size:
            days, funding = allocation_for_school(school, bands)
        else:
            days, funding = allocation.sle_days or 0, allocation.funding or 0
        offers.append((school, Decimal(days), Decimal(funding)))
    return offers


def _joining_clashes(programme: Programme, ids: list[int], *, comparing: bool) -> list[str]:
    """Why these schools cannot join the programme: already in it, or invited and not yet
    answered (a school invited joins only by answering). A comparison school added again as
    one is no clash: it is left as it is."""
    enrolled = (
        "is enrolled in the programme, so it cannot compare"
        if comparing
        else "is already enrolled in this programme"
    )
    pending = programme.invitations.filter(status=InvitationStatus.PENDING)
    reasons = [
        (programme.enrolments, enrolled),
        (pending, "has an invitation to this programme awaiting its answer"),
    ]
    if not comparing:
        reasons.append((programme.comparison_schools, "is a comparison school in this programme"))
    return sorted(
        f"URN {urn} {why}."
        for rows, why in reasons
        for urn in rows.filter(school__in=ids).values_list("school__urn", flat=True)
    )


def _in_programme(school: School, programme: Programme, *, comparison: bool = False) -> str:
    where = "as a comparison school for" if comparison else "in"
    return f"{school.name} (URN {school.urn}) {where} {programme.name}"


@transaction.atomic
def schools_enrol(
    *, cohort: Cohort, schools: list[School], allocation: Allocation, enrolled_by, source: str
) -> int:
    """Enrol schools into a cohort in one go: an accepted invitation, a site admin's
    enrolment, or the site's own loaders (`source` names which in the audit log, where each
    enrolment is recorded). All or nothing: a school already in the programme, one of its
    comparison schools or one with an invitation awaiting its answer stops the whole
    enrolment. Enrolling shows the school's pages to the programme's hub leads."""
    programme = cohort.programme
    clashes = _joining_clashes(programme, [school.pk for school in schools], comparing=False)
    if clashes:
        raise ValidationError(clashes)
    offers = _offers(programme, schools, allocation)
    Enrolment.objects.bulk_create(
        Enrolment(programme=programme, cohort=cohort, school=school, sle_days_allocated=days,
                  funding_allocated=funding)
        for school, days, funding in offers
    )  # fmt: skip
    audit_all(
        enrolled_by,
        AuditAction.SCHOOL_ENROLLED,
        [
            (_in_programme(school, programme), programme, school,
             {"cohort": cohort.name, "sle_days": str(days), "funding": str(funding),
              "source": source})
            for school, days, funding in offers
        ],
    )  # fmt: skip
    if offers:
        programme_data_changed(programme_id=programme.pk)
    return len(offers)


@transaction.atomic
def enrolment_update(*, enrolment: Enrolment, **fields) -> Enrolment:
    """A school's allocation, or the cohort it is in (which the report groups it by)."""
    if "cohort" in fields and fields["cohort"].programme_id != enrolment.programme_id:
        raise ValidationError("A school can only move to a cohort of the same programme.")
    moved = changed_fields(enrolment, fields, ["cohort", "school"])
    fields_write(enrolment, fields=fields, allowed=ENROLMENT_FIELDS)
    if moved:
        programme_data_changed(programme_id=enrolment.programme_id)
    return enrolment


@transaction.atomic
def enrolment_remove(*, enrolment: Enrolment, removed_by) -> None:
    """Un-enrol a school (the data admin does): its pupils leave the programme's report, and
    its pages the programme's hub leads."""
    _school_leaves(enrolment, removed_by=removed_by, action=AuditAction.SCHOOL_UNENROLLED)


def _school_leaves(joined, *, removed_by, action, comparison: bool = False) -> None:
    """An enrolment or comparison deleted, recorded in the audit log, and the programme's
    report marked out of date."""
    joined.delete()
    where = _in_programme(joined.school, joined.programme, comparison=comparison)
    audit(removed_by, action, where, programme=joined.programme, school=joined.school)
    programme_data_changed(programme_id=joined.programme_id)


@transaction.atomic
def comparison_schools_add(
    *, programme: Programme, schools: list[School], added_by, source: str
) -> int:
    """Schools whose results the programme's evaluation compares with: an accepted
    invitation, or a site admin's or loader's (`source`). Each is recorded in the audit log."""
    clashes = _joining_clashes(programme, [school.pk for school in schools], comparing=True)
    if clashes:
        raise ValidationError(clashes)
    already = set(programme.comparison_schools.values_list("school_id", flat=True))
    new = [school for school in schools if school.pk not in already]
    ComparisonSchool.objects.bulk_create(
        ComparisonSchool(programme=programme, school=school) for school in new
    )
    audit_all(
        added_by,
        AuditAction.COMPARISON_ADDED,
        [
            (_in_programme(school, programme, comparison=True), programme, school,
             {"source": source})
            for school in new
        ],
    )  # fmt: skip
    if new:
        programme_data_changed(programme_id=programme.pk)
    return len(new)


@transaction.atomic
def comparison_school_remove(*, comparison: ComparisonSchool, removed_by) -> None:
    _school_leaves(
        comparison, removed_by=removed_by, action=AuditAction.COMPARISON_REMOVED, comparison=True
    )


@transaction.atomic
def enrolment_invitations_send(
    *, cohort: Cohort, schools: list[School], allocation: Allocation, invited_by
) -> int:
    """A hub lead invites schools to take part, in a cohort, each with the offer an
    enrolment would give it. All or nothing, as an enrolment is. Nothing is enrolled (nor
    shown to the hub lead) until the school accepts."""
    programme = cohort.programme
    clashes = _joining_clashes(programme, [school.pk for school in schools], comparing=False)
    if clashes:
        raise ValidationError(clashes)
    return _invitations_create(
        [
            EnrolmentInvitation(programme=programme, school=school, kind=InvitationKind.ENROL,
                                cohort=cohort, sle_days_allocated=days, funding_allocated=funding,
                                invited_by=invited_by)
            for school, days, funding in _offers(programme, schools, allocation)
        ],
        invited_by,
    )  # fmt: skip


@transaction.atomic
def comparison_invitations_send(*, programme: Programme, schools: list[School], invited_by) -> int:
    """A hub lead invites schools to be comparison schools: their results are then read for
    the programme's evaluation, so they too join only by accepting. Schools comparing already
    are left out."""
    clashes = _joining_clashes(programme, [school.pk for school in schools], comparing=True)
    if clashes:
        raise ValidationError(clashes)
    already = set(programme.comparison_schools.values_list("school_id", flat=True))
    return _invitations_create(
        [
            EnrolmentInvitation(programme=programme, school=school,
                                kind=InvitationKind.COMPARE, invited_by=invited_by)
            for school in schools
            if school.pk not in already
        ],
        invited_by,
    )  # fmt: skip


def _invitations_create(invitations: list[EnrolmentInvitation], invited_by) -> int:
    EnrolmentInvitation.objects.bulk_create(invitations)
    audit_all(
        invited_by,
        AuditAction.SCHOOL_INVITED,
        [
            (_in_programme(i.school, i.programme, comparison=i.kind == InvitationKind.COMPARE),
             i.programme, i.school,
             {"invitation": i.pk, "cohort": i.cohort.name if i.cohort else "",
              "sle_days": str(i.sle_days_allocated), "funding": str(i.funding_allocated)})
            for i in invitations
        ],
    )  # fmt: skip
    return len(invitations)


@transaction.atomic
def invitation_decide(
    *, invitation: EnrolmentInvitation, decided_by, accept: bool
) -> EnrolmentInvitation:
    """The school's answer (its headteacher's, or a site admin's), given once. Accepting
    enrols the school with the offer it was made (or makes it a comparison school) through
    the same services as every other enrolment."""
    invitation = EnrolmentInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError("This invitation has been answered already.")
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.decided_by, invitation.decided_at = decided_by, timezone.now()
    invitation.save(update_fields=["status", "decided_by", "decided_at"])
    comparison = invitation.kind == InvitationKind.COMPARE
    audit(
        decided_by,
        AuditAction.INVITATION_ACCEPTED if accept else AuditAction.INVITATION_DECLINED,
        _in_programme(invitation.school, invitation.programme, comparison=comparison),
        programme=invitation.programme,
        school=invitation.school,
        invitation=invitation.pk,
    )
    if accept and comparison:
        comparison_schools_add(
            programme=invitation.programme,
            schools=[invitation.school],
            added_by=decided_by,
            source="invitation",
        )
    elif accept:
        offer = Allocation(
            sle_days=invitation.sle_days_allocated, funding=invitation.funding_allocated
        )
        schools_enrol(
            cohort=invitation.cohort,
            schools=[invitation.school],
            allocation=offer,
            enrolled_by=decided_by,
            source="invitation",
        )
    return invitation


@transaction.atomic
def strand_uptakes_replace(*, strand, taken_up: set[str], continued: set[str]) -> None:
    """Set which enrolled schools (by id, as a form sends them) took up a strand and which
    continued it after the programme. A school can only continue what it took up."""
    enrolled = set(strand.programme.enrolments.values_list("school_id", flat=True))
    taken = {int(pk) for pk in taken_up if pk.isdigit() and int(pk) in enrolled}
    kept = {int(pk) for pk in continued if pk.isdigit()} & taken
    StrandUptake.objects.filter(strand=strand).exclude(school_id__in=taken).delete()
    existing = {u.school_id: u for u in StrandUptake.objects.filter(strand=strand)}
    changed = []
    for uptake in existing.values():
        if uptake.continued_after_programme != (uptake.school_id in kept):
            uptake.continued_after_programme = uptake.school_id in kept
            changed.append(uptake)
    StrandUptake.objects.bulk_update(changed, ["continued_after_programme"])
    StrandUptake.objects.bulk_create(
        StrandUptake(strand=strand, school_id=pk, continued_after_programme=pk in kept)
        for pk in taken - existing.keys()
    )


def spend_record(*, recorded_by, **fields) -> SpendEntry:
    return fields_write(SpendEntry(recorded_by=recorded_by), fields=fields, allowed=SPEND_FIELDS)
