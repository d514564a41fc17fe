from django.db import models
from django.db.models import Q
from django.urls import reverse

from schools.academic_year import academic_year_label

# The reports' models live apart (the file was over 400 lines) and are found through here.
from .report_models import EntryKind, ReportEntry, ReportFailure, ReportSnapshot, Target  # noqa: F401
from .standards import STANDARDS

# PostgreSQL checks a foreign key by a trigger once per written row (about 9 microseconds); on
# a million-row import the checks of the pupil links alone took longer than all the writing.
# So the links to pupils are not database constraints: a pupil is only ever deleted by this
# app's own SQL (retention, rollback), under the lock that imports hold while they link
# results to pupils (staging.hold_pupils), and the ORM still cascades. Schools and windows
# can be deleted in the admin, so links to them keep their constraints. Which upload wrote a
# row is provenance, read only to roll an upload back (a scan: not indexed either), and
# uploads are never deleted.
PROVENANCE = {"on_delete": models.SET_NULL, "null": True, "db_constraint": False, "db_index": False}
BULK_LINK = {"on_delete": models.CASCADE, "db_constraint": False, "db_index": False}


class Pupil(models.Model):
    """A pupil of one programme, known only by that programme's keyed hash of their UPN (see
    evaluation.pseudonym): no name, date of birth or raw UPN is ever stored. The same child in
    two programmes is two pupils, with details and results of their own in each."""

    # Indexed through the (programme, upn_hash) constraint. Like the links to pupils, not a
    # database constraint: an import writes up to a million pupils at once.
    programme = models.ForeignKey("programmes.Programme", related_name="pupils", **BULK_LINK)
    # Unique by constraint rather than unique=True, which on PostgreSQL adds a second index
    # for LIKE searches that nothing here makes. On PostgreSQL the column compares bytes
    # (collation "C", set in migration 0003): a hex digest has no language to sort by.
    upn_hash = models.CharField(max_length=64)
    # The upload that first named this pupil: rolling it back removes pupils it alone added.
    first_upload = models.ForeignKey("AssessmentUpload", blank=True, related_name="+", **PROVENANCE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "upn_hash"], name="pupil_once_per_programme"
            )
        ]

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

    # Indexed through the (pupil, academic_year) and (school, academic_year) indexes below:
    # a million-row import maintains every index, so none is kept twice.
    pupil = models.ForeignKey(Pupil, related_name="years", **BULK_LINK)
    # The pupil's programme, written with the row (by the merge) and never changed: a report
    # reads its own pupils' details by it in one scan, where a join to a million pupils took
    # three times as long as the scan.
    programme = models.ForeignKey("programmes.Programme", related_name="+", **BULK_LINK)
    academic_year = models.PositiveSmallIntegerField()
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="pupil_years", db_index=False
    )
    year_group = models.PositiveSmallIntegerField()
    disadvantaged = models.BooleanField()
    send = models.CharField(
        "SEND provision", max_length=1, choices=SendProvision.choices, default=SendProvision.NONE
    )
    eal = models.BooleanField("EAL", null=True, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)
    upload = models.ForeignKey("AssessmentUpload", blank=True, related_name="+", **PROVENANCE)

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
        return f"{self.pupil} in {academic_year_label(self.academic_year)}"


class NationalReference(models.Model):
    """National figures to compare with, e.g. the share of non-disadvantaged pupils nationally
    who reach the expected standard in KS2 maths in a year (from DfE statistics)."""

    name = models.CharField(max_length=200, unique=True)
    academic_year = models.PositiveSmallIntegerField()
    pct_expected_non_disadvantaged = models.DecimalField(
        "% at expected standard, non-disadvantaged pupils", max_digits=4, decimal_places=1
    )
    pct_expected_non_send = models.DecimalField(
        "% at expected standard, pupils without SEND",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-academic_year", "name"]

    def __str__(self) -> str:
        return self.name


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
    national_reference = models.ForeignKey(
        NationalReference, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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


# Built from evaluation.standards, the one list of codes, so the column stores what the check
# reads and the engine ranks.
TeacherAssessment = models.TextChoices(
    "TeacherAssessment", [(code, (code, label)) for code, label in STANDARDS.items()]
)


class UploadStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    VALIDATING = "validating", "Checking the file"
    INVALID = "invalid", "Needs correcting"
    READY = "ready", "Checked: confirm to import"
    IMPORTING = "importing", "Importing"
    IMPORTED = "imported", "Imported"
    ROLLING_BACK = "rolling_back", "Rolling back"
    ROLLED_BACK = "rolled_back", "Rolled back"
    FAILED = "failed", "Failed"
    DELETED = "deleted", "Deleted at the end of retention"
    # Its files were deleted before it was imported (see evaluation.upload_files).
    EXPIRED = "expired", "Expired: upload it again"


class AssessmentUpload(models.Model):
    """One file of results for one assessment window, from validation to import (and, if
    need be, rollback): who sent it, when, its hash, and what it changed."""

    window = models.ForeignKey(AssessmentWindow, on_delete=models.CASCADE, related_name="uploads")
    # A school leader's upload may only hold rows of their own school.
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The file as sent, names and dates of birth included: deleted (emptied) once checked.
    file = models.FileField(upload_to="assessments/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    # The checked rows, pseudonymised, kept from the preview so the import need not read and
    # check the file again; deleted once imported.
    staged = models.FileField(upload_to="assessments/staged/", blank=True)
    status = models.CharField(
        max_length=12, choices=UploadStatus.choices, default=UploadStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first errors, to show on the page; all of them are in `error_report` (CSV).
    errors = models.JSONField(default=list, blank=True)
    error_report = models.BinaryField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    new_pupils = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    failure = models.TextField(blank=True)
    # When its next step could not be put on the task queue (the broker did not answer).
    queue_failed_at = models.DateTimeField(null=True, blank=True)
    # The task on its current step, and when its worker last said it was alive (see
    # evaluation.upload_leases); how often a step was queued again because its worker stopped.
    task_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    restarts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} for {self.window} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:upload", args=[self.pk])

    @property
    def is_working(self) -> bool:
        return self.status in (
            UploadStatus.QUEUED,
            UploadStatus.VALIDATING,
            UploadStatus.IMPORTING,
            UploadStatus.ROLLING_BACK,
        )


class Result(models.Model):
    """A pupil's result in one window: a score on the window's scale, a teacher-assessment
    code, or both."""

    # Indexed through the (pupil, window) constraint.
    pupil = models.ForeignKey(Pupil, related_name="results", **BULK_LINK)
    window = models.ForeignKey(AssessmentWindow, on_delete=models.CASCADE, related_name="results")
    score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    standard = models.CharField(max_length=3, choices=TeacherAssessment.choices, blank=True)
    upload = models.ForeignKey(AssessmentUpload, related_name="results", **PROVENANCE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "window"], name="result_once_per_window"),
            models.CheckConstraint(
                condition=Q(score__isnull=False) | ~Q(standard=""),
                name="result_has_score_or_standard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} in {self.window}: {self.score or self.standard}"


class ResultRevision(models.Model):
    """What a result was before an upload changed it, so the upload can be rolled back."""

    upload = models.ForeignKey(
        AssessmentUpload, on_delete=models.CASCADE, related_name="result_revisions"
    )
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=6, decimal_places=1, null=True)
    standard = models.CharField(max_length=3, blank=True)
    previous_upload = models.ForeignKey(
        AssessmentUpload, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Result {self.result_id} before upload {self.upload_id}"


class PupilYearRevision(models.Model):
    """What a pupil's details for a year were before an upload changed them."""

    upload = models.ForeignKey(
        AssessmentUpload, on_delete=models.CASCADE, related_name="pupil_year_revisions"
    )
    pupil_year = models.ForeignKey(PupilYear, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    year_group = models.PositiveSmallIntegerField()
    disadvantaged = models.BooleanField()
    send = models.CharField(max_length=1)
    eal = models.BooleanField(null=True)
    gender = models.CharField(max_length=1, blank=True)
    previous_upload = models.ForeignKey(
        AssessmentUpload, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Pupil year {self.pupil_year_id} before upload {self.upload_id}"
