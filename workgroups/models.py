from django.db import models
from django.db.models import Q

from schools.academic_year import academic_year_label


class WorkGroupType(models.Model):
    """A kind of work group in the national catalogue, with the shape it usually takes."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField()
    target_audience = models.TextField()
    expected_schools = models.PositiveSmallIntegerField(null=True, blank=True)
    expected_workshops = models.PositiveSmallIntegerField(null=True, blank=True)
    expected_school_visits = models.PositiveSmallIntegerField(null=True, blank=True)
    expected_duration = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkGroup(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="work_groups"
    )
    type = models.ForeignKey(WorkGroupType, on_delete=models.PROTECT, related_name="work_groups")
    name = models.CharField(max_length=200)
    academic_year = models.PositiveSmallIntegerField(
        help_text="The year it starts: 2025 is 2025/26."
    )
    lead = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="work_groups_led"
    )
    schools = models.ManyToManyField("schools.School", related_name="work_groups", blank=True)

    class Meta:
        ordering = ["-academic_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name", "academic_year"], name="work_group_name_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({academic_year_label(self.academic_year)})"


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    MATHS_LEAD = "maths_lead", "Maths lead"
    HEADTEACHER = "headteacher", "Headteacher"


class WorkGroupParticipant(models.Model):
    work_group = models.ForeignKey(WorkGroup, on_delete=models.CASCADE, related_name="participants")
    staff_member = models.ForeignKey(
        "schools.StaffMember", on_delete=models.CASCADE, related_name="work_groups"
    )
    role = models.CharField(
        max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["work_group", "staff_member"], name="work_group_participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} in {self.work_group}"


class EventKind(models.TextChoices):
    LAUNCH_TRAINING = "launch", "Launch training"
    CLUSTER_WORKSHOP = "cluster", "Cluster workshop"
    WORK_GROUP_WORKSHOP = "workshop", "Work-group workshop"
    NETWORK_MEETING = "network", "Network meeting"
    GOVERNOR_TRAINING = "governor", "Governor training"
    PARENT_WORKSHOP = "parent", "Parent workshop"
    CATCH_UP_CPD = "catch_up", "Catch-up CPD"


# Attending one of these counts as having had the programme's core CPD.
CORE_CPD_KINDS = (EventKind.LAUNCH_TRAINING, EventKind.CATCH_UP_CPD)


class Event(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="events"
    )
    work_group = models.ForeignKey(
        WorkGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    facilitator = models.CharField(max_length=200, blank=True)
    audience = models.CharField(max_length=200, blank=True)
    schools = models.ManyToManyField(
        "schools.School",
        related_name="events",
        blank=True,
        help_text="The schools invited; leave empty for every school in the programme.",
    )
    # Parents are counted, not named.
    parent_headcount = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent_headcount__isnull=True) | Q(kind=EventKind.PARENT_WORKSHOP),
                name="event_headcount_only_for_parents",
                violation_error_message="Only parent workshops have a headcount.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d %b %Y})"

    @property
    def is_core_cpd(self) -> bool:
        return self.kind in CORE_CPD_KINDS


class Attendance(models.Model):
    """One line of an event's register."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="register")
    staff_member = models.ForeignKey(
        "schools.StaffMember", on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "staff_member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} {'present' if self.present else 'absent'} at {self.event}"
