"""Creating or updating a programme from its description file (`load_programme`)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction

from programmes.models import Cohort, Enrolment, Programme
from programmes.services import (
    Allocation,
    comparison_schools_add,
    programme_data_changed,
    schools_enrol,
)
from schools.models import School

from .models import AssessmentWindow
from .programme_file import ProgrammeFileInvalid, ProgrammeSpec

SOURCE = "load_programme"  # who enrolled, in the audit log: the site, from the command line


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


def _upsert(model, tally: Tally, lookup: dict, fields: dict, where: str) -> models.Model:
    """Create or update one row, validated as a whole; a rule it breaks names its place."""
    instance = model.objects.filter(**lookup).first()
    if instance is not None and all(getattr(instance, k) == v for k, v in fields.items()):
        tally.unchanged += 1
        return instance
    if instance is None:
        instance = model(**lookup)
        tally.created += 1
    else:
        tally.updated += 1
    for name, value in fields.items():
        setattr(instance, name, value)
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ProgrammeFileInvalid(
            [f"{where}: {' '.join(messages)}" for messages in error.message_dict.values()]
        ) from error
    instance.save()
    return instance


@transaction.atomic
def programme_load(*, spec: ProgrammeSpec) -> dict[str, Tally]:
    """All or nothing: any problem raises ProgrammeFileInvalid and the database is as it was.
    Loading the same file again changes nothing. Nothing the file does not mention is
    removed, and existing enrolments keep the allocations a hub lead may have adjusted. Any
    change marks the programme's data changed, so its report is recomputed."""
    schools = School.objects.in_bulk(spec.all_urns, field_name="urn")
    missing = [urn for urn in spec.all_urns if urn not in schools]
    if missing:
        raise ProgrammeFileInvalid(
            [f"no school with URN {urn}: import the register of schools first" for urn in missing]
        )
    tallies = {
        name: Tally() for name in ("programme", "cohorts", "schools", "comparison", "windows")
    }
    programme = _upsert(
        Programme,
        tallies["programme"],
        {"slug": spec.slug},
        {
            "name": spec.name,
            "funder": spec.funder,
            "funding_reference": spec.funding_reference,
            "value": spec.value,
            "start_date": spec.start_date,
            "end_date": spec.end_date,
            "aims": spec.aims,
        },
        "programme",
    )
    _check_roles_clash(programme, spec, schools)
    _load_cohorts(programme, spec, schools, tallies)
    _load_comparisons(programme, spec, schools, tallies["comparison"])
    _load_windows(programme, spec, tallies["windows"])
    if any(tally.created or tally.updated for tally in tallies.values()):
        programme_data_changed(programme_id=programme.pk)
    return tallies


def _load_cohorts(programme: Programme, spec: ProgrammeSpec, schools: dict, tallies: dict):
    """The cohorts and the schools in each: a school moves cohort if listed under another.
    New schools are enrolled through `schools_enrol`, as loaded by the site (the audit log
    records each)."""
    enrolled = {e.school_id: e for e in programme.enrolments.all()}
    offer = Allocation(sle_days=spec.allocation.sle_days, funding=spec.allocation.funding)
    moved = []
    for index, cohort_spec in enumerate(spec.cohorts):
        cohort = _upsert(
            Cohort,
            tallies["cohorts"],
            {"programme": programme, "name": cohort_spec.name},
            {"start_date": cohort_spec.start_date, "end_date": cohort_spec.end_date},
            f"cohorts[{index}]",
        )
        new = []
        for urn in cohort_spec.urns:
            enrolment = enrolled.get(schools[urn].pk)
            if enrolment is None:
                new.append(schools[urn])
            elif enrolment.cohort_id != cohort.pk:
                enrolment.cohort = cohort
                moved.append(enrolment)
                tallies["schools"].updated += 1
            else:
                tallies["schools"].unchanged += 1
        tallies["schools"].created += _by_service(
            schools_enrol, cohort=cohort, schools=new, allocation=offer, enrolled_by=None,
            source=SOURCE,
        )  # fmt: skip
    Enrolment.objects.bulk_update(moved, ["cohort"])


def _load_comparisons(programme: Programme, spec: ProgrammeSpec, schools: dict, tally: Tally):
    listed = [schools[urn] for urn in spec.comparison_urns]
    tally.created = _by_service(
        comparison_schools_add, programme=programme, schools=listed, added_by=None, source=SOURCE
    )
    tally.unchanged = len(listed) - tally.created


def _by_service(service, **arguments) -> int:
    """A service's refusal (a school invited and not yet answered, say) as a file problem."""
    try:
        return service(**arguments)
    except ValidationError as error:
        raise ProgrammeFileInvalid(error.messages) from error


def _load_windows(programme: Programme, spec: ProgrammeSpec, tally: Tally) -> None:
    for index, window in enumerate(spec.windows):
        _upsert(
            AssessmentWindow,
            tally,
            {"programme": programme, "slug": window.slug},
            {
                "name": window.name,
                "kind": window.kind,
                "date": window.date,
                "instrument": window.instrument,
                "teacher_assessment": window.teacher_assessment,
                **window.scale.model_dump(),
            },
            f"assessment_windows[{index}]",
        )


def _check_roles_clash(programme: Programme, spec: ProgrammeSpec, schools: dict) -> None:
    """A school cannot be both in the programme and a comparison for it."""
    in_cohorts = {schools[urn].pk for cohort in spec.cohorts for urn in cohort.urns}
    comparison = {schools[urn].pk for urn in spec.comparison_urns}
    enrolled = set(programme.enrolments.values_list("school_id", flat=True))
    comparing = set(programme.comparison_schools.values_list("school_id", flat=True))
    by_id = {school.pk: school.urn for school in schools.values()}
    errors = [
        f"URN {by_id[pk]} is listed in a cohort but is already a comparison school"
        for pk in sorted(in_cohorts & comparing)
    ] + [
        f"URN {by_id[pk]} is listed as a comparison school but is already enrolled"
        for pk in sorted(comparison & enrolled)
    ]
    if errors:
        raise ProgrammeFileInvalid(errors)
