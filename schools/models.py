from decimal import Decimal

from django.db import models
from django.db.models import Q


class LocalAuthority(models.Model):
    """A local authority (borough or county), with the DfE's three-digit code."""

    code = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school as the DfE register (Get Information about Schools) describes it."""

    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=50, blank=True)
    establishment_type = models.CharField(max_length=100, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="schools"
    )
    trust = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    number_on_roll = models.PositiveIntegerField(null=True, blank=True)
    percentage_fsm = models.DecimalField(
        "pupils eligible for free school meals (%)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    is_open = models.BooleanField("open", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(urn__gte=100000, urn__lte=999999),
                name="school_urn_six_digits",
                violation_error_message="A URN is a 6-digit number.",
            ),
            models.CheckConstraint(
                condition=Q(percentage_fsm__gte=0, percentage_fsm__lte=100)
                | Q(percentage_fsm__isnull=True),
                name="school_percentage_fsm_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"


class StaffRole(models.TextChoices):
    CLASS_TEACHER = "class_teacher", "Class teacher"
    TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"
    MATHS_LEAD = "maths_lead", "Maths lead"
    HEADTEACHER = "headteacher", "Headteacher"
    SENCO = "senco", "SENCo"
    GOVERNOR = "governor", "Governor"


class StaffMember(models.Model):
    """A person's role at a school over a period; a new row when the role changes, so staff
    changes stay visible and new staff can be picked out for catch-up CPD."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff")
    full_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    year_group = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a class teacher: 0 is Reception."
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school", "role", "full_name"]
        verbose_name = "staff member"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="staff_member_ends_after_start",
                violation_error_message="The end date must not be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(year_group__isnull=True) | Q(year_group__lte=13),
                name="staff_member_year_group_r_to_13",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.get_role_display()}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"


class SchoolRegisterImport(models.Model):
    """An upload of the DfE register of schools (a GIAS CSV export). The file is kept in the
    database so that a worker on another machine can read it."""

    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


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
