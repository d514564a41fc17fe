import uuid
from datetime import timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from schools.models import School, StaffMember

from .form_models import (  # noqa: F401  (Django finds the app's models here)
    Answer,
    Question,
    QuestionKind,
    StandardSection,
    VisitFormVersion,
)


class VisitLength(models.TextChoices):
    HALF_DAY = "half_day", "Half day"
    FULL_DAY = "full_day", "Full day"
    HOURS = "hours", "Hours"


class VisitKind(models.TextChoices):
    IN_SCHOOL_DEVELOPMENT = "development", "In-school development"
    COACHING = "coaching", "Coaching"
    LESSON_STUDY = "lesson_study", "Lesson study"
    SUBJECT_LEADER_MEETING = "subject_leader", "Subject-leader meeting"
    GOVERNOR_MEETING = "governor", "Governor meeting"


# Hours that make one SLE day when a visit is logged in hours.
SLE_HOURS_PER_DAY = Decimal(6)


class RecordOfVisit(models.Model):
    """An SLE's visit to a school in a programme. Its length, in days, counts against the
    school's SLE-day allocation."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="visits"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="visits")
    sle = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="visits", verbose_name="SLE"
    )
    visit_date = models.DateField()
    kind = models.CharField(max_length=20, choices=VisitKind.choices)
    length = models.CharField(max_length=10, choices=VisitLength.choices)
    hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    # Derived from length and hours when saved, so that SQL can sum days used.
    days = models.DecimalField(max_digits=4, decimal_places=2, editable=False)
    # Made on the tablet when the SLE starts the record: a send that is retried after a lost
    # connection names the same record, and never makes a second one.
    client_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    year_groups = models.JSONField(default=list, blank=True, help_text="0 is Reception.")
    staff_worked_with = models.ManyToManyField(StaffMember, blank=True, related_name="visits")
    focus_areas = models.ManyToManyField("programmes.FocusArea", blank=True, related_name="visits")
    activities = models.TextField(blank=True)
    strengths = models.TextField("strengths seen", blank=True)
    next_steps = models.TextField(blank=True, help_text="One a line: each becomes an action.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # The programme's form as the SLE saw it; none for records written before forms existed.
    # RESTRICT: a version in use is never deleted alone, only with its programme's records.
    form_version = models.ForeignKey(
        VisitFormVersion, on_delete=models.RESTRICT, null=True, blank=True, related_name="visits"
    )

    class Meta:
        ordering = ["-visit_date"]
        verbose_name = "record of visit"
        verbose_name_plural = "records of visit"
        constraints = [
            models.CheckConstraint(
                condition=~Q(length=VisitLength.HOURS) | Q(hours__isnull=False, hours__gt=0),
                name="visit_hours_given_for_hourly_visits",
                violation_error_message="Give the number of hours for a visit logged in hours.",
            ),
            models.CheckConstraint(condition=Q(days__gte=0), name="visit_days_not_negative"),
        ]
        indexes = [models.Index(fields=["programme", "school"])]

    def __str__(self) -> str:
        return f"{self.school} visited {self.visit_date:%d %b %Y}"

    def save(self, *args, **kwargs):
        self.days = self.length_in_days()
        super().save(*args, **kwargs)

    def length_in_days(self) -> Decimal:
        if self.length == VisitLength.HOURS:
            return (Decimal(self.hours or 0) / SLE_HOURS_PER_DAY).quantize(Decimal("0.01"))
        return Decimal("0.5") if self.length == VisitLength.HALF_DAY else Decimal("1")


class PhotoStatus(models.TextChoices):
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class VisitPhoto(models.Model):
    """A photo of pupils' work as evidence. The web process only reads its header; the worker
    decodes it, shrinks it and re-encodes it, so that no location or camera metadata is kept,
    then deletes the original as sent."""

    visit = models.ForeignKey(RecordOfVisit, on_delete=models.CASCADE, related_name="photos")
    # Blank until the worker has re-encoded the photo.
    image = models.ImageField(upload_to="visits/%Y/%m/", blank=True)
    # The file as sent, with whatever location it carries: kept only until the worker is done.
    original = models.FileField(upload_to="visits/originals/", blank=True)
    status = models.CharField(
        max_length=10, choices=PhotoStatus.choices, default=PhotoStatus.PROCESSING
    )
    failure = models.CharField(max_length=300, blank=True)
    caption = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PhotoStatus.values), name="visit_photo_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=PhotoStatus.READY) | ~Q(image=""),
                name="visit_photo_ready_has_image",
            ),
            models.CheckConstraint(
                condition=~Q(status=PhotoStatus.PROCESSING) | ~Q(original=""),
                name="visit_photo_processing_has_original",
            ),
        ]

    def __str__(self) -> str:
        return self.caption or f"Photo {self.pk}"


class ActionStatus(models.TextChoices):
    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk"
    GREEN = "green", "Green: on track"
    DONE = "done", "Done"


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=ActionStatus.DONE)

    def overdue_on(self, day):
        """Past their due date and not done, whatever RAG was last entered."""
        return self.open().filter(due_date__lt=day)

    def due_within(self, day, days: int):
        """Not done, and due between `day` and `days` later (inclusive)."""
        return self.open().filter(due_date__range=(day, day + timedelta(days=days)))


class Action(models.Model):
    """One line of a school's action plan, often raised as a next step at a visit."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=150, blank=True)
    # Who is e-mailed about it: this account, or when empty the school's maths lead.
    owner_account = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_owned",
        verbose_name="owner's account",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=5, choices=ActionStatus.choices, default=ActionStatus.GREEN
    )
    raised_at_visit = models.ForeignKey(
        RecordOfVisit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_raised",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["school", "due_date", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_overdue(self) -> bool:
        """The calendar overrules the RAG last entered: green in December for an action due in
        October is overdue."""
        return (
            self.status != ActionStatus.DONE
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )

    @property
    def status_label(self) -> str:
        return "Overdue" if self.is_overdue else self.get_status_display()

    @property
    def status_colour(self) -> str:
        """The badge's colour: an overdue action is shown red."""
        return ActionStatus.RED if self.is_overdue else self.status


class Progress(models.TextChoices):
    DONE = "done", "Done"
    IN_PROGRESS = "in_progress", "In progress"
    NOT_STARTED = "not_started", "Not started"


class ActionUpdate(models.Model):
    """What an SLE found of an open action at a visit."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    visit = models.ForeignKey(
        RecordOfVisit, on_delete=models.CASCADE, related_name="action_updates"
    )
    progress = models.CharField(max_length=12, choices=Progress.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-visit__visit_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "visit"], name="action_update_once_a_visit")
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_progress_display()}"


class Risk(models.Model):
    """A risk to the school's plan and how it is being mitigated."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    mitigation = models.TextField(blank=True)
    is_open = models.BooleanField("still a risk", default=True)

    class Meta:
        ordering = ["school", "-is_open", "pk"]

    def __str__(self) -> str:
        return self.description[:80]
