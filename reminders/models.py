"""What is e-mailed to whom, and what each person chose to receive."""

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class Topic(models.TextChoices):
    """What a person can choose to hear about (see EmailPreference)."""

    ACTIONS = "actions", "Actions on a school's plan: a week before due, and when overdue"
    VISITS = "visits", "Visits: when a school's next visit is due, and when overdue"
    EVENTS = "events", "CPD events and workshops: the day before"
    HUB_DIGEST = "hub_digest", "The Monday summary of your programmes (hub leads)"
    GOVERNOR_REPORTS = "governor_reports", "A new governor report period is ready"


class Kind(models.TextChoices):
    ACTION_DUE = "action_due", "Action due in a week"
    ACTION_OVERDUE = "action_overdue", "Action overdue"
    VISIT_DUE = "visit_due", "Visit due"
    VISIT_OVERDUE = "visit_overdue", "Visit overdue"
    EVENT_TOMORROW = "event_tomorrow", "Event tomorrow"
    HUB_DIGEST = "hub_digest", "Monday summary"
    GOVERNOR_REPORT = "governor_report", "Governor report ready"
    WEEKLY_DIGEST = "weekly_digest", "Weekly digest of reminders"


TOPIC_OF = {
    Kind.ACTION_DUE: Topic.ACTIONS,
    Kind.ACTION_OVERDUE: Topic.ACTIONS,
    Kind.VISIT_DUE: Topic.VISITS,
    Kind.VISIT_OVERDUE: Topic.VISITS,
    Kind.EVENT_TOMORROW: Topic.EVENTS,
    Kind.HUB_DIGEST: Topic.HUB_DIGEST,
    Kind.GOVERNOR_REPORT: Topic.GOVERNOR_REPORTS,
}


class Frequency(models.TextChoices):
    AT_ONCE = "at_once", "At once, one e-mail each"
    WEEKLY = "weekly", "Once a week, on Monday, in one e-mail (events still the day before)"


class EmailPreference(models.Model):
    """One address's choices. Kept by address, not account: participants in a workshop are
    staff records, many without an account, and may unsubscribe too. No row means everything,
    at once."""

    email = models.EmailField(unique=True)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.AT_ONCE
    )
    stopped = models.JSONField(default=list, blank=True, help_text="Topics not wanted.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="email_preference_frequency_known"
            ),
            models.CheckConstraint(
                condition=Q(email=Lower("email")),
                name="email_preference_email_lower_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_frequency_display()}"


class Reminder(models.Model):
    """The ledger: one reminder of one thing to one address, recorded before it is sent. Unique
    on (kind, about, email), so a task run twice, or late, or by two workers at once, sends
    nothing twice. `token` is the reminder's unsubscribe link, which works once."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What it is about, e.g. "action 12" or "visit 4/7 due 2026-12-08": a new due date is a
    # new reminder.
    about = models.CharField(max_length=120)
    email = models.EmailField()
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=200)
    # What the e-mail says, a line each: never a pupil's name or a figure about pupils.
    lines = models.JSONField(default=list)
    link = models.CharField(max_length=300, help_text="The page it is about (a path).")
    planned_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Sent within this weekly digest, rather than on its own.
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="included"
    )
    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["planned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "about", "email"], name="reminder_once"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="reminder_kind_known"),
        ]
        indexes = [models.Index(fields=["sent_at", "email"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.email}: {self.subject}"

    @property
    def topic(self) -> str | None:
        """A weekly digest has none: unsubscribing from it stops every topic."""
        return TOPIC_OF.get(self.kind)

    @property
    def topic_label(self) -> str:
        return Topic(self.topic).label if self.topic else "reminders of any kind"
