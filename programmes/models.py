from django.db import models
from django.db.models import F, Q


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

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="programme_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="programme_value_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


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
                condition=Q(end_date__gte=F("start_date")), name="cohort_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.name}"


class Enrolment(models.Model):
    """A school taking part in a programme, in one of its cohorts, with its allocation."""

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
            models.UniqueConstraint(fields=["cohort", "school"], name="enrolment_once_per_cohort"),
            models.CheckConstraint(
                condition=Q(sle_days_allocated__gte=0, funding_allocated__gte=0),
                name="enrolment_allocation_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.cohort}"
