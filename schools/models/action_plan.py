from django.db import models

from .school import School
from .visits import RecordOfVisit


class ActionStatus(models.TextChoices):
    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk"
    GREEN = "green", "Green: on track"
    DONE = "done", "Done"


class Action(models.Model):
    """One line of a school's action plan, often raised as a next step at a visit."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=150, blank=True)
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

    class Meta:
        ordering = ["school", "due_date", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


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
