from django.db import models
from django.db.models import F, Q


class VisitInterval(models.IntegerChoices):
    """How often an SLE should visit each school, in days: a school not visited for longer is
    overdue for a visit."""

    FORTNIGHT = 14, "Every fortnight"
    FOUR_WEEKS = 28, "Every four weeks"
    SIX_WEEKS = 42, "Every six weeks"
    HALF_TERM = 49, "Every half term (about seven weeks)"
    TERM = 91, "Every term (about thirteen weeks)"


class Programme(models.Model):
    """A funded maths-improvement programme, such as a Maths Hub project or a funder's grant."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    funder = models.CharField(max_length=200, blank=True)
    funding_reference = models.CharField(max_length=100, blank=True)
    value = models.DecimalField("value (£)", max_digits=12, decimal_places=2, default=0)
    start_date = models.DateField()
    end_date = models.DateField()
    local_authorities = models.ManyToManyField(
        "schools.LocalAuthority", related_name="programmes", blank=True
    )
    aims = models.TextField(blank=True)
    visit_interval_days = models.PositiveSmallIntegerField(
        "how often schools are visited",
        choices=VisitInterval.choices,
        null=True,
        blank=True,
        help_text="A school not visited for longer is overdue for a visit; empty for no reminders.",
    )
    # Goes up with every change to the programme's results; a report is of one version.
    data_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="programme_ends_after_start",
                violation_error_message="The end date must not be before the start date.",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="programme_value_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_closed_on(self, day) -> bool:
        """A programme past its end date sends no more reminders."""
        return self.end_date < day


class Cohort(models.Model):
    """A group of schools that start a programme together."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=100)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["programme", "start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="cohort_ends_after_start",
                violation_error_message="The cohort's end date must not be before its start date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.name}"


class Enrolment(models.Model):
    """A school taking part in a programme, in one of its cohorts, with its allocation."""

    # The programme is the cohort's; held here too so the database can insist that a school
    # is enrolled in a programme once, whichever cohort it is in.
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="enrolments"
    )
    sle_days_allocated = models.DecimalField(
        "SLE days allocated", max_digits=5, decimal_places=1, default=0
    )
    funding_allocated = models.DecimalField(
        "funding allocated (£)", max_digits=10, decimal_places=2, default=0
    )

    class Meta:
        ordering = ["cohort", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "school"], name="enrolment_once_per_programme"
            ),
            models.CheckConstraint(
                condition=Q(sle_days_allocated__gte=0, funding_allocated__gte=0),
                name="enrolment_allocation_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.cohort}"


class InvitationKind(models.TextChoices):
    ENROL = "enrol", "Take part in the programme"
    COMPARE = "compare", "Comparison school"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Awaiting an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class EnrolmentInvitation(models.Model):
    """A hub lead's invitation to a school to take part in a programme (in a cohort, with an
    offer) or to be one of its comparison schools. Only its acceptance, by the school's
    headteacher or a site admin, enrols the school: enrolling shows the school's pages to the
    programme's hub leads, so it is the school's decision, not the hub lead's."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="invitations"
    )
    kind = models.CharField(max_length=10, choices=InvitationKind.choices)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    sle_days_allocated = models.DecimalField(
        "SLE days offered", max_digits=5, decimal_places=1, default=0
    )
    funding_allocated = models.DecimalField(
        "funding offered (£)", max_digits=10, decimal_places=2, default=0
    )
    invited_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invited_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "school"],
                condition=Q(status=InvitationStatus.PENDING),
                name="invitation_one_pending_per_school",
                violation_error_message="This school has an invitation awaiting its answer.",
            ),
            models.CheckConstraint(
                condition=Q(kind=InvitationKind.ENROL, cohort__isnull=False)
                | Q(kind=InvitationKind.COMPARE, cohort__isnull=True),
                name="invitation_cohort_for_enrolment_only",
            ),
            models.CheckConstraint(
                condition=Q(status=InvitationStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=InvitationStatus.PENDING) & Q(decided_at__isnull=False)),
                name="invitation_decided_when_answered",
            ),
            models.CheckConstraint(
                condition=Q(sle_days_allocated__gte=0, funding_allocated__gte=0),
                name="invitation_offer_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} invited to {self.programme} ({self.get_status_display()})"


class ReportFigure(models.TextChoices):
    """Figures of the evaluation report that a target or a KPI can be set on: the programme's
    (or a school's) pupils of every year group, at one assessment window. Named here, below
    `evaluation`, so that a KPI can say which one it takes."""

    EXPECTED_ALL = "expected_all", "Pupils at the expected standard (%)"
    EXPECTED_DISADVANTAGED = (
        "expected_disadvantaged",
        "Disadvantaged pupils at the expected standard (%)",
    )
    DISADVANTAGED_GAP = (
        "disadvantaged_gap",
        "Disadvantaged gap (percentage points at the expected standard)",
    )


class Kpi(models.Model):
    """A key performance indicator the funder agreed, e.g. "KS1 teachers trained: 480"."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField("indicator", max_length=200)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    achieved = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    achieved_on = models.DateField("achieved as at", null=True, blank=True)
    notes = models.TextField(blank=True, help_text="Where the achieved figure comes from.")
    # A KPI on a figure of the report is filled in from each report stored (by
    # evaluation.targets), at the latest window that has the figure; others are entered by hand.
    report_figure = models.CharField(
        "figure of the report", max_length=30, choices=ReportFigure.choices, blank=True
    )

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = "KPI"
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="kpi_name_unique"),
            models.CheckConstraint(condition=Q(target__gte=0), name="kpi_target_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def percent_of_target(self) -> int | None:
        if self.achieved is None or not self.target:
            return None
        return round(100 * self.achieved / self.target)


class ComparisonSchool(models.Model):
    """A school that takes part in a programme's evaluation only, to compare progress with."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="comparison_schools"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="comparisons"
    )

    class Meta:
        ordering = ["programme", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "school"], name="comparison_school_once")
        ]

    def __str__(self) -> str:
        return f"{self.school} (comparison for {self.programme})"


class InterventionStrand(models.Model):
    """A strand of the programme that schools take up, e.g. mastery lesson design or a
    TA-led intervention."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="strands")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="strand_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class StrandUptake(models.Model):
    """That a school took up a strand, and whether it kept it going after the programme."""

    strand = models.ForeignKey(InterventionStrand, on_delete=models.CASCADE, related_name="uptakes")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="strand_uptakes"
    )
    started_on = models.DateField(null=True, blank=True)
    continued_after_programme = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["strand", "school"], name="strand_uptake_once")
        ]

    def __str__(self) -> str:
        return f"{self.school} takes up {self.strand}"


class BudgetCategory(models.TextChoices):
    SLE_TIME = "sle_time", "SLE time"
    SCHOOL_GRANTS = "school_grants", "Grants to schools"
    CPD = "cpd", "CPD and events"
    RESOURCES = "resources", "Resources"
    EVALUATION = "evaluation", "Evaluation"
    MANAGEMENT = "management", "Management and administration"
    OTHER = "other", "Other"


class BudgetLine(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=BudgetCategory.choices)
    amount = models.DecimalField("budget (£)", max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["programme", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="budget_line_name_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class SpendEntry(models.Model):
    """Money spent against a budget line; negative for a refund or correction."""

    budget_line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="spend")
    spent_on = models.DateField()
    amount = models.DecimalField("amount (£)", max_digits=12, decimal_places=2)
    description = models.CharField(max_length=300)
    school = models.ForeignKey(
        "schools.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name_plural = "spend entries"

    def __str__(self) -> str:
        return f"£{self.amount} on {self.spent_on}: {self.description}"


class AllocationBand(models.Model):
    """One band of a programme's offer scaled by school size: schools with up to
    `up_to_pupils` on roll (no limit when empty) get these SLE days and this funding."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="allocation_bands"
    )
    up_to_pupils = models.PositiveIntegerField(null=True, blank=True)
    sle_days = models.DecimalField("SLE days", max_digits=5, decimal_places=1)
    funding = models.DecimalField("funding (£)", max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["programme", models.F("up_to_pupils").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "up_to_pupils"], name="allocation_band_once"
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(up_to_pupils__isnull=True),
                name="allocation_band_one_open_ended",
            ),
            models.CheckConstraint(
                condition=Q(sle_days__gte=0, funding__gte=0), name="allocation_band_not_negative"
            ),
        ]

    def __str__(self) -> str:
        size = f"up to {self.up_to_pupils} pupils" if self.up_to_pupils else "any size"
        return f"{size}: {self.sle_days} SLE days, £{self.funding}"


class FocusArea(models.Model):
    """One of a programme's own focus areas for school visits, such as the five big ideas of
    teaching for mastery, or a project's five key areas."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="focus_areas")
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="focus_area_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
