from django.db import models
from django.db.models import Q


class Pupil(models.Model):
    """A pupil, known only by a keyed hash of their UPN: no name, date of birth or raw UPN is
    ever stored."""

    upn_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Pupil {self.upn_hash[:8]}"


class SendProvision(models.TextChoices):
    NONE = "N", "No special provision"
    SEN_SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "EHC plan"


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class PupilYear(models.Model):
    """What is known of a pupil in one academic year (named by the year it starts: 2024 is
    2024/25). Year group 0 is Reception."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="years")
    academic_year = models.PositiveSmallIntegerField()
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="pupil_years"
    )
    year_group = models.PositiveSmallIntegerField()
    disadvantaged = models.BooleanField()
    send = models.CharField(
        "SEND provision", max_length=1, choices=SendProvision.choices, default=SendProvision.NONE
    )
    eal = models.BooleanField("EAL", null=True, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "academic_year"], name="pupil_year_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year_group__lte=13), name="pupil_year_group_r_to_13"
            ),
        ]
        indexes = [models.Index(fields=["school", "academic_year"])]

    def __str__(self) -> str:
        return f"{self.pupil} in {self.academic_year}/{(self.academic_year + 1) % 100:02d}"


class WindowKind(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    INTERIM = "interim", "Interim"
    END = "end", "End"


class AssessmentWindow(models.Model):
    """A point in a programme when pupils are assessed. Scores are read on its scale (by
    default the KS2 scaled score, 80 to 120, expected standard 100, higher 110); a window may
    also or instead take teacher-assessment codes (PKF, WTS, EXS, GDS)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="assessment_windows"
    )
    slug = models.SlugField()
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=WindowKind.choices)
    date = models.DateField()
    instrument = models.CharField(max_length=200, blank=True)
    scale_min = models.DecimalField(max_digits=6, decimal_places=1, default=80)
    scale_max = models.DecimalField(max_digits=6, decimal_places=1, default=120)
    expected_threshold = models.DecimalField(max_digits=6, decimal_places=1, default=100)
    higher_threshold = models.DecimalField(max_digits=6, decimal_places=1, default=110)
    teacher_assessment = models.BooleanField("takes teacher-assessment codes", default=False)

    class Meta:
        ordering = ["programme", "date"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="window_slug_unique"),
            models.CheckConstraint(
                condition=Q(scale_min__lt=models.F("scale_max"))
                & Q(expected_threshold__gte=models.F("scale_min"))
                & Q(higher_threshold__gte=models.F("expected_threshold"))
                & Q(higher_threshold__lte=models.F("scale_max")),
                name="window_scale_in_order",
                violation_error_message=(
                    "The scale must run from minimum to maximum, with the expected standard "
                    "at or above the minimum and the higher standard between it and the maximum."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%b %Y})"
