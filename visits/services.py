"""Records of visit and school action plans: the writes (see selectors for reads)."""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.models import AuditAction
from mathsprog.queueing import enqueue_on_commit
from mathsprog.services import fields_write
from programmes.models import Programme
from schools.models import School

from .answers import answers_checked
from .models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Answer,
    PhotoStatus,
    Progress,
    Question,
    QuestionKind,
    RecordOfVisit,
    Risk,
    StandardSection,
    VisitFormVersion,
    VisitPhoto,
)
from .photos import PHOTO_QUEUE_DOWN, photo_opened, visit_photo_fail

# An action raised at a visit is due, unless the school changes it, by the next half term.
NEXT_STEP_DUE_AFTER = timedelta(weeks=6)
# What a school's action plan page edits (the visit that raised an action stays as it was).
ACTION_FIELDS = ("description", "owner", "owner_account", "due_date", "status")
RISK_FIELDS = ("description", "mitigation", "is_open")


@dataclass
class VisitRecord:
    """A record of visit as the SLE sent it (from the tablet, perhaps long after writing it)."""

    client_id: uuid.UUID
    programme: Programme
    school: School
    visit_date: date
    kind: str
    length: str
    hours: object = None
    year_groups: list[int] = field(default_factory=list)
    staff_worked_with: list = field(default_factory=list)
    focus_areas: list = field(default_factory=list)
    activities: str = ""
    strengths: str = ""
    next_steps: str = ""
    action_updates: dict = field(default_factory=dict)  # action id -> (progress, comment)
    # The programme's form as the tablet rendered it, and its answers (question id -> value).
    form_version: VisitFormVersion | None = None
    answers: dict = field(default_factory=dict)


@transaction.atomic
def visit_record(*, sle, record: VisitRecord) -> tuple[RecordOfVisit, bool]:
    """Save a record of visit once: a retried send (same client id) returns the record already
    saved. Next steps become actions on the school's plan; updates to open actions are kept,
    and an action found done is marked done."""
    existing = RecordOfVisit.objects.filter(client_id=record.client_id).first()
    if existing is not None:
        if existing.sle_id != sle.pk:
            raise ValidationError("This record belongs to someone else.")
        return existing, False
    visit = RecordOfVisit(
        client_id=record.client_id,
        programme=record.programme,
        school=record.school,
        sle=sle,
        visit_date=record.visit_date,
        kind=record.kind,
        length=record.length,
        hours=record.hours,
        year_groups=sorted(set(record.year_groups)),
        activities=record.activities,
        strengths=record.strengths,
        next_steps=record.next_steps,
        form_version=record.form_version,
    )
    if record.form_version and record.form_version.programme_id != record.programme.pk:
        raise ValidationError("This form belongs to another programme: reload the page.")
    answers = answers_checked(version=record.form_version, given=record.answers)
    visit.days = visit.length_in_days()
    visit.full_clean()
    visit.save()
    for answer in answers:
        answer.visit = visit
    Answer.objects.bulk_create(answers)
    visit.staff_worked_with.set(record.staff_worked_with)
    visit.focus_areas.set(record.focus_areas)
    open_actions = {a.pk: a for a in record.school.actions.exclude(status=ActionStatus.DONE)}
    for action_id, (progress, comment) in record.action_updates.items():
        action = open_actions.get(action_id)
        if action is None:
            continue  # closed meanwhile, or not this school's
        ActionUpdate.objects.create(action=action, visit=visit, progress=progress, comment=comment)
        if progress == Progress.DONE:
            action.status = ActionStatus.DONE
            action.save(update_fields=["status"])
    Action.objects.bulk_create(
        Action(
            school=record.school,
            description=line.strip(),
            owner="Maths lead",
            due_date=record.visit_date + NEXT_STEP_DUE_AFTER,
            raised_at_visit=visit,
        )
        for line in record.next_steps.splitlines()
        if line.strip()
    )
    audit(
        sle,
        AuditAction.VISIT_CREATED,
        f"Record of visit to {record.school.name}",
        programme=record.programme,
        school=record.school,
        visit=visit.pk,
    )
    return visit, True


@dataclass
class QuestionDraft:
    """A question as the hub lead composed it."""

    kind: str
    label: str
    help_text: str = ""
    required: bool = False
    choices: list[str] = field(default_factory=list)


# A rating's four points when the hub lead names none.
RATING_LABELS = ["Not yet seen", "Emerging", "Established", "Embedded"]


def _question_problems(draft: QuestionDraft) -> list[str]:
    if draft.kind not in QuestionKind.values:
        return [f"“{draft.label}”: choose what kind of question it is."]
    offers_choices = draft.kind in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES)
    if offers_choices and len(set(draft.choices)) < 2:
        return [f"“{draft.label}”: give at least two different choices, one a line."]
    if draft.kind == QuestionKind.RATING and draft.choices and len(draft.choices) != 4:
        return [f"“{draft.label}”: give four labels, for ratings 1 to 4, or none."]
    return []


def _kept_choices(draft: QuestionDraft) -> list[str]:
    """Choices only where the kind offers them; a rating's labels, given or the usual ones."""
    if draft.kind == QuestionKind.RATING:
        return draft.choices or RATING_LABELS
    if draft.kind in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES):
        return draft.choices
    return []


@transaction.atomic
def visit_form_publish(
    *, programme: Programme, sections: list[str], questions: list[QuestionDraft], user
) -> VisitFormVersion:
    """Publish the programme's visit form as a new version: earlier versions, and the records
    written with them, stay exactly as they were."""
    problems = [p for draft in questions for p in _question_problems(draft)]
    if any(section not in StandardSection.values for section in sections):
        problems.append("Choose sections of the standard form.")
    if problems:
        raise ValidationError(problems)
    # Locks the programme's row, so that two publications never take the same number.
    Programme.objects.select_for_update().get(pk=programme.pk)
    latest = programme.visit_form_versions.order_by("-number").first()
    version = VisitFormVersion.objects.create(
        programme=programme,
        number=latest.number + 1 if latest else 1,
        sections=[s for s in StandardSection.values if s in sections],
        published_by=user,
    )
    Question.objects.bulk_create(
        Question(
            version=version,
            position=position,
            kind=draft.kind,
            label=draft.label.strip(),
            help_text=draft.help_text.strip(),
            required=draft.required,
            choices=_kept_choices(draft),
        )
        for position, draft in enumerate(questions, start=1)
    )
    return version


def visit_acknowledge(*, visit: RecordOfVisit, user) -> None:
    if visit.acknowledged_at is None:
        visit.acknowledged_by, visit.acknowledged_at = user, timezone.now()
        visit.save(update_fields=["acknowledged_by", "acknowledged_at"])


@transaction.atomic
def visit_photo_add(*, visit: RecordOfVisit, upload, caption: str, user) -> VisitPhoto:
    """Keep a photo of work as it was sent, for the worker to re-encode (see photos). Only its
    header is read here, so that a photo that would decode to gigabytes costs nothing."""
    photo_opened(upload)
    photo = VisitPhoto(visit=visit, caption=caption, status=PhotoStatus.PROCESSING)
    # Named by us, not by the sender.
    photo.original.save(f"visit-{visit.pk}-{uuid.uuid4().hex[:8]}", upload, save=False)
    photo.save()
    audit(
        user,
        AuditAction.VISIT_CHANGED,
        f"Photo added to the visit to {visit.school.name}",
        school=visit.school,
        visit=visit.pk,
    )
    # A queue that does not answer: the photo says it failed, rather than look busy for ever.
    enqueue_on_commit(
        "visits.tasks.process_visit_photo",
        photo.pk,
        on_failure=lambda error: visit_photo_fail(photo_id=photo.pk, failure=PHOTO_QUEUE_DOWN),
    )
    return photo


def action_create(*, school: School, **fields) -> Action:
    return fields_write(Action(school=school), fields=fields, allowed=ACTION_FIELDS)


def action_update(*, action: Action, **fields) -> Action:
    return fields_write(action, fields=fields, allowed=ACTION_FIELDS)


def risk_create(*, school: School, **fields) -> Risk:
    return fields_write(Risk(school=school), fields=fields, allowed=RISK_FIELDS)


def risk_update(*, risk: Risk, **fields) -> Risk:
    return fields_write(risk, fields=fields, allowed=RISK_FIELDS)
