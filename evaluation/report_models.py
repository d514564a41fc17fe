"""A programme's evaluation reports as stored (a snapshot of entries for each data version),
the failures of those that could not be computed, and the targets they are checked against.
Imported by evaluation.models, through which Django and the rest of the project find them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from programmes.models import ReportFigure

from .fields import ReportFigures


class ReportSnapshot(models.Model):
    """A programme's evaluation report as computed for one version of its data."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="reports"
    )
    data_version = models.PositiveIntegerField()
    computed_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)
    results = models.PositiveIntegerField(default=0, help_text="Results it was computed over.")
    # The suppression threshold it was computed with: under another setting it is out of date.
    # Empty for reports stored before thresholds were recorded, which are out of date too.
    threshold = models.PositiveSmallIntegerField(null=True)
    # The engine's FIGURES_VERSION it was computed with: a report made before the engine
    # gained figures (empty: before versions were recorded) is out of date as well.
    figures_version = models.PositiveSmallIntegerField(null=True)

    class Meta:
        ordering = ["-data_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "data_version"], name="report_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} report, data version {self.data_version}"

    def computed_as_today(self) -> bool:
        """Computed with today's suppression threshold and the engine's figures: if not, it
        is out of date whatever its data version."""
        from .engine import FIGURES_VERSION  # NumPy and SciPy load only where reports are read

        return (
            self.threshold == settings.SUPPRESSION_THRESHOLD
            and self.figures_version == FIGURES_VERSION
        )


class EntryKind(models.TextChoices):
    ATTAINMENT = "attainment", "Attainment"
    PROGRESS = "progress", "Progress"


class ReportEntry(models.Model):
    """One scope, year group and window (or pair of windows) of a report: what a dashboard
    reads, by scope, without touching pupil rows."""

    # Indexed through the (snapshot, scope type, scope id) index below: a second index on the
    # snapshot alone would only slow the writing of each report's thousands of entries.
    snapshot = models.ForeignKey(
        ReportSnapshot, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    scope_type = models.CharField(max_length=20)
    scope_id = models.BigIntegerField()
    year_group = models.PositiveSmallIntegerField(null=True)
    window = models.CharField(max_length=50, help_text="The window, or for progress the later one.")
    from_window = models.CharField(max_length=50, blank=True)
    figures = ReportFigures()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "scope_type", "scope_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.scope_type} {self.scope_id} {self.window}"


class ReportFailure(models.Model):
    """That the report of a programme's data version failed on every attempt the worker made,
    so nothing is bringing the report up to date until someone retries. Cleared when a report
    of that version or a newer one is stored."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="report_failure"
    )
    data_version = models.PositiveIntegerField()
    error = models.TextField()
    failed_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.programme} report, data version {self.data_version}: failed"


class Target(models.Model):
    """A figure to reach at a programme's end window, for the programme or one school, as set
    by someone at some time. Setting it again adds a row: the latest is the target, the
    earlier ones its history (see evaluation.targets)."""

    window = models.ForeignKey(
        "evaluation.AssessmentWindow", on_delete=models.CASCADE, related_name="targets"
    )
    # Empty for the programme's own target.
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    measure = models.CharField(max_length=30, choices=ReportFigure.choices)
    value = models.DecimalField(max_digits=4, decimal_places=1)
    set_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept when the account is deleted, as the audit log keeps it.
    set_by_name = models.CharField(max_length=254)
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["window", "school", "measure"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__lte=100)
                & (Q(value__gte=0) | Q(measure=ReportFigure.DISADVANTAGED_GAP, value__gte=-100)),
                name="target_value_in_range",
                violation_error_message=(
                    "A share is from 0 to 100%; a gap from -100 to 100 percentage points."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.value} by {self.window}"
