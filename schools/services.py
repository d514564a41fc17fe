from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mathsprog.queueing import enqueue_on_commit
from mathsprog.services import changed_fields, fields_write

from .models import ImportStatus, LocalAuthority, School, SchoolRegisterImport, StaffMember
from .register import RegisterInvalid, RegisterRow, RowError, read_register
from .signals import schools_changed

# What evaluation reports show of a school: a change to either changes its programmes' reports.
REPORTED_FIELDS = ("name", "local_authority")
REPORTED_COLUMNS = ("name", "local_authority_id")
# The School fields a register row sets; anything else on a school is the portal's own.
REGISTER_FIELDS = (
    "name",
    "establishment_type",
    "phase",
    "is_open",
    "number_on_roll",
    "percentage_fsm",
    "trust",
    "postcode",
    "local_authority_id",
)
# What a site admin sets on a school by hand (the register sets most of them again).
SCHOOL_FIELDS = (
    "urn", "name", "phase", "establishment_type", "local_authority", "trust", "postcode",
    "number_on_roll", "percentage_fsm", "is_open",
)  # fmt: skip
STAFF_MEMBER_FIELDS = ("full_name", "email", "role", "year_group", "start_date", "end_date")


@dataclass(frozen=True)
class RegisterOutcome:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


@transaction.atomic
def schools_upsert_from_register(*, content: bytes) -> RegisterOutcome:
    """Create or update schools by URN from a GIAS export. All or nothing: any unusable row
    raises RegisterInvalid and writes nothing. Importing the same file again changes nothing."""
    rows = read_register(content)
    authority_ids = _local_authority_ids(rows)
    existing = School.objects.in_bulk([row.urn for row in rows], field_name="urn")
    to_create, to_update, reported = [], [], []
    for row in rows:
        values = _school_values(row, authority_ids)
        school = existing.get(row.urn)
        if school is None:
            to_create.append(School(urn=row.urn, **values))
        elif any(getattr(school, field) != value for field, value in values.items()):
            if any(getattr(school, field) != values[field] for field in REPORTED_COLUMNS):
                reported.append(school.pk)
            for field, value in values.items():
                setattr(school, field, value)
            to_update.append(school)
    School.objects.bulk_create(to_create, batch_size=1000)
    School.objects.bulk_update(to_update, REGISTER_FIELDS, batch_size=1000)
    if reported:
        schools_changed.send(sender=School, school_ids=reported)
    return RegisterOutcome(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
    )


@transaction.atomic
def school_save(*, school: School, **fields) -> School:
    """A school added by hand, or edited (by a site admin, in the portal or the data admin).
    A new name or local authority reaches the reports of its programmes."""
    reported = changed_fields(school, fields, REPORTED_FIELDS) if school.pk else set()
    fields_write(school, fields=fields, allowed=SCHOOL_FIELDS)
    if reported:
        schools_changed.send(sender=School, school_ids=[school.pk])
    return school


@transaction.atomic
def local_authority_save(*, local_authority: LocalAuthority, **fields) -> LocalAuthority:
    """A local authority's name is a scope of the reports of the programmes its schools are in."""
    renamed = changed_fields(local_authority, fields, ["name"]) if local_authority.pk else set()
    fields_write(local_authority, fields=fields, allowed=("code", "name"))
    if renamed:
        school_ids = list(local_authority.schools.values_list("pk", flat=True))
        schools_changed.send(sender=LocalAuthority, school_ids=school_ids)
    return local_authority


def staff_member_create(*, school: School, **fields) -> StaffMember:
    return fields_write(StaffMember(school=school), fields=fields, allowed=STAFF_MEMBER_FIELDS)


def staff_member_update(*, staff_member: StaffMember, **fields) -> StaffMember:
    return fields_write(staff_member, fields=fields, allowed=STAFF_MEMBER_FIELDS)


def _school_values(row: RegisterRow, authority_ids: dict) -> dict:
    values = {field: getattr(row, field) for field in REGISTER_FIELDS[:-1]}
    key = row.la_code if row.la_code is not None else row.la_name
    values["local_authority_id"] = authority_ids[key]
    return values


def _local_authority_ids(rows: list[RegisterRow]) -> dict[int | str, int]:
    """Map each row's authority (by code, or by name where the file has no codes) to an id,
    creating authorities the portal has not met. Unknown names without a code are errors."""
    by_code = {la.code: la for la in LocalAuthority.objects.all()}
    by_name = {la.name: la for la in by_code.values()}
    new, errors = {}, []
    for row in rows:
        if row.la_code is None:
            if row.la_name not in by_name:
                reason = "is not a local authority we know, and the file has no LA (code)"
                errors.append(RowError(row.row, "LA (name)", row.la_name, reason))
        elif row.la_code in by_code or row.la_code in new:
            continue
        elif row.la_name in by_name:
            held = by_name[row.la_name].code
            reason = f"we hold {row.la_name} with code {held}; the file says {row.la_code}"
            errors.append(RowError(row.row, "LA (code)", str(row.la_code), reason))
        else:
            new[row.la_code] = LocalAuthority(code=row.la_code, name=row.la_name)
    if errors:
        raise RegisterInvalid(errors)
    for la in LocalAuthority.objects.bulk_create(new.values()):
        by_code[la.code] = la
    ids: dict[int | str, int] = {code: la.pk for code, la in by_code.items()}
    ids.update({name: la.pk for name, la in by_name.items()})
    return ids


def school_register_import_create(*, uploaded_by, file_name: str, content: bytes):
    """Record an upload and queue its import for a worker, once the upload is committed."""
    register_import = SchoolRegisterImport.objects.create(
        uploaded_by=uploaded_by, file_name=file_name, content=content
    )
    # A queue that does not answer: nothing was imported, and the page says to upload again.
    queue_down = {"row": "", "column": "", "value": "", "reason": "the task queue did not answer"}
    enqueue_on_commit(
        "schools.tasks.run_school_register_import",
        register_import.pk,
        on_failure=lambda error: SchoolRegisterImport.objects.filter(pk=register_import.pk).update(
            status=ImportStatus.FAILED, errors=[queue_down], finished_at=timezone.now()
        ),
    )
    return register_import


def school_register_import_run(*, register_import: SchoolRegisterImport) -> None:
    """Run a queued upload. Safe to run twice: a finished import is left as it is, and the
    upsert is one transaction, so a worker dying part-way leaves nothing half-written."""
    if register_import.is_finished:
        return
    SchoolRegisterImport.objects.filter(pk=register_import.pk).update(status=ImportStatus.RUNNING)
    try:
        outcome = schools_upsert_from_register(content=bytes(register_import.content))
    except RegisterInvalid as invalid:
        register_import.status = ImportStatus.FAILED
        register_import.errors = [vars(error) for error in invalid.errors]
    else:
        register_import.status = ImportStatus.DONE
        register_import.created = outcome.created
        register_import.updated = outcome.updated
        register_import.unchanged = outcome.unchanged
    register_import.finished_at = timezone.now()
    register_import.save(
        update_fields=["status", "errors", "created", "updated", "unchanged", "finished_at"]
    )
