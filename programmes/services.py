from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from accounts.models import Role, RoleAssignment
from mathsprog.services import changed_fields, model_create, model_update
from schools.models import School

from . import signals
from .models import (
    AllocationBand,
    Cohort,
    ComparisonSchool,
    Enrolment,
    Programme,
    SpendEntry,
    StrandUptake,
)


@transaction.atomic
def programme_create(*, created_by, **fields) -> Programme:
    """A new programme, led by whoever set it up."""
    programme = model_create(Programme, **fields)
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
    model_update(programme, **fields)
    if renamed:
        programme_data_changed(programme_id=programme.pk)
    return programme


@transaction.atomic
def cohort_save(*, cohort: Cohort | None, programme: Programme, **fields) -> Cohort:
    """A new cohort (it has no schools yet), or an edit: a cohort's name is a scope of the
    programme's report."""
    if cohort is None:
        return model_create(Cohort, programme=programme, **fields)
    renamed = changed_fields(cohort, fields, ["name"])
    model_update(cohort, programme=programme, **fields)
    if renamed:
        programme_data_changed(programme_id=programme.pk)
    return cohort


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


@transaction.atomic
def schools_enrol(*, cohort: Cohort, schools: list[School], allocation: Allocation) -> int:
    """Enrol schools into a cohort in one go. All or nothing: a school already in the
    programme, or one of its comparison schools, stops the whole enrolment."""
    programme = cohort.programme
    ids = [school.pk for school in schools]
    clashes = sorted(
        [f"{urn} is already enrolled" for urn in programme.enrolments.filter(
            school__in=ids).values_list("school__urn", flat=True)]
        + [f"{urn} is a comparison school" for urn in programme.comparison_schools.filter(
            school__in=ids).values_list("school__urn", flat=True)]
    )  # fmt: skip
    if clashes:
        raise ValidationError([f"URN {clash} in this programme." for clash in clashes])
    bands = list(programme.allocation_bands.all()) if allocation.by_size else []
    enrolments = []
    for school in schools:
        if allocation.by_size:
            days, funding = allocation_for_school(school, bands)
        else:
            days, funding = allocation.sle_days or 0, allocation.funding or 0
        enrolments.append(
            Enrolment(
                programme=programme,
                cohort=cohort,
                school=school,
                sle_days_allocated=days,
                funding_allocated=funding,
            )
        )
    Enrolment.objects.bulk_create(enrolments)
    if enrolments:
        programme_data_changed(programme_id=programme.pk)
    return len(enrolments)


@transaction.atomic
def enrolment_update(*, enrolment: Enrolment, **fields) -> Enrolment:
    """A school's allocation, or the cohort it is in (which the report groups it by)."""
    if "cohort" in fields and fields["cohort"].programme_id != enrolment.programme_id:
        raise ValidationError("A school can only move to a cohort of the same programme.")
    moved = changed_fields(enrolment, fields, ["cohort", "school"])
    model_update(enrolment, **fields)
    if moved:
        programme_data_changed(programme_id=enrolment.programme_id)
    return enrolment


@transaction.atomic
def enrolment_remove(*, enrolment: Enrolment) -> None:
    """Un-enrol a school (the data admin does): its pupils leave the programme's report."""
    enrolment.delete()
    programme_data_changed(programme_id=enrolment.programme_id)


@transaction.atomic
def comparison_schools_add(*, programme: Programme, schools: list[School]) -> int:
    enrolled = list(
        programme.enrolments.filter(school__in=schools).values_list("school__urn", flat=True)
    )
    if enrolled:
        raise ValidationError(
            [f"URN {urn} is enrolled in the programme, so it cannot compare." for urn in enrolled]
        )
    already = set(programme.comparison_schools.values_list("school_id", flat=True))
    new = [
        ComparisonSchool(programme=programme, school=school)
        for school in schools
        if school.pk not in already
    ]
    ComparisonSchool.objects.bulk_create(new)
    if new:
        programme_data_changed(programme_id=programme.pk)
    return len(new)


@transaction.atomic
def comparison_school_remove(*, comparison: ComparisonSchool) -> None:
    comparison.delete()
    programme_data_changed(programme_id=comparison.programme_id)


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
    return model_create(SpendEntry, recorded_by=recorded_by, **fields)
