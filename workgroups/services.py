from django.core.exceptions import ValidationError
from django.db import transaction

from mathsprog.services import changed_fields, fields_write
from programmes.services import programme_data_changed
from schools.models import StaffMember

from .catalogue import WORK_GROUP_TYPES
from .models import Attendance, Event, EventKind, WorkGroup, WorkGroupParticipant, WorkGroupType
from .selectors import register_candidates

WORK_GROUP_TYPE_FIELDS = (
    "name", "description", "target_audience", "expected_schools", "expected_workshops",
    "expected_school_visits", "expected_duration",
)  # fmt: skip
WORK_GROUP_FIELDS = ("type", "name", "academic_year", "lead", "schools")
EVENT_FIELDS = (
    "kind", "title", "starts_at", "venue", "facilitator", "audience", "work_group", "schools",
    "parent_headcount",
)  # fmt: skip


def work_group_type_create(**fields) -> WorkGroupType:
    return fields_write(WorkGroupType(), fields=fields, allowed=WORK_GROUP_TYPE_FIELDS)


def work_group_type_update(*, work_group_type: WorkGroupType, **fields) -> WorkGroupType:
    return fields_write(work_group_type, fields=fields, allowed=WORK_GROUP_TYPE_FIELDS)


@transaction.atomic
def work_group_create(*, programme, **fields) -> WorkGroup:
    """A new work group; with schools, it is a new scope of the programme's report."""
    work_group = WorkGroup(programme=programme)
    fields_write(work_group, fields=fields, allowed=WORK_GROUP_FIELDS)
    if fields.get("schools"):
        programme_data_changed(programme_id=programme.pk)
    return work_group


@transaction.atomic
def work_group_update(*, work_group: WorkGroup, **fields) -> WorkGroup:
    """A work group's name and schools are a scope of the programme's report: a change to
    either marks the programme's data changed."""
    renamed = changed_fields(work_group, fields, ["name"])
    schools = set(work_group.schools.values_list("pk", flat=True))
    # The data admin may also move a work group to another programme.
    fields_write(work_group, fields=fields, allowed=("programme", *WORK_GROUP_FIELDS))
    if renamed or schools != set(work_group.schools.values_list("pk", flat=True)):
        programme_data_changed(programme_id=work_group.programme_id)
    return work_group


@transaction.atomic
def work_group_delete(*, work_group: WorkGroup) -> None:
    """(The data admin only.) A work group with schools leaves the programme's report."""
    if work_group.schools.exists():
        programme_data_changed(programme_id=work_group.programme_id)
    work_group.delete()


def work_group_participant_add(*, work_group: WorkGroup, staff_member: StaffMember, role: str):
    if not work_group.schools.filter(pk=staff_member.school_id).exists():
        raise ValidationError(f"{staff_member.school} is not one of this work group's schools.")
    if work_group.participants.filter(staff_member=staff_member).exists():
        raise ValidationError(f"{staff_member.full_name} is already in this work group.")
    participant = WorkGroupParticipant(work_group=work_group, staff_member=staff_member)
    return fields_write(participant, fields={"role": role}, allowed=("role",))


def work_group_participant_remove(*, participant: WorkGroupParticipant) -> None:
    participant.delete()


def _check_event_belongs(fields: dict, programme) -> None:
    work_group = fields.get("work_group")
    if work_group and work_group.programme_id != programme.pk:
        raise ValidationError("That work group belongs to another programme.")
    if fields.get("kind") != EventKind.PARENT_WORKSHOP:
        fields["parent_headcount"] = None


def event_create(*, programme, **fields) -> Event:
    _check_event_belongs(fields, programme)
    return fields_write(Event(programme=programme), fields=fields, allowed=EVENT_FIELDS)


def event_update(*, event: Event, **fields) -> Event:
    _check_event_belongs(fields, event.programme)
    return fields_write(event, fields=fields, allowed=EVENT_FIELDS)


@transaction.atomic
def register_record(*, event: Event, present_ids: set[int]) -> int:
    """Take the register: everyone expected is marked present or absent in one statement, so
    a register taken again replaces the earlier one."""
    candidates = list(register_candidates(event=event).values_list("pk", flat=True))
    rows = [
        Attendance(event=event, staff_member_id=pk, present=pk in present_ids) for pk in candidates
    ]
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["event", "staff_member"],
        update_fields=["present"],
    )
    return sum(1 for row in rows if row.present)


def work_group_catalogue_ensure(model=None) -> None:
    """The national catalogue of work group types, added where missing (the data migration
    calls it with the historical model)."""
    model = model or WorkGroupType
    for fields in WORK_GROUP_TYPES:
        model.objects.get_or_create(name=fields["name"], defaults=fields)
