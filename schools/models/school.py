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
