from django import forms
from django.db import models

from schools.forms import UrnListField
from schools.models import LocalAuthority, School

from .models import (
    AllocationBand,
    BudgetLine,
    Cohort,
    Enrolment,
    InterventionStrand,
    Kpi,
    Programme,
    SpendEntry,
)

DATE = forms.DateInput(attrs={"type": "date"})


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name", "slug", "funder", "funding_reference", "value", "start_date", "end_date",
            "local_authorities", "aims", "visit_interval_days",
        ]  # fmt: skip
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "local_authorities": forms.CheckboxSelectMultiple,
        }
        help_texts = {"slug": "Short name for web addresses and files, e.g. ks1-mastery-2026."}


class ProgrammePartForm(forms.ModelForm):
    """A form for something that belongs to one programme: checked against it."""

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.programme = programme


class CohortForm(ProgrammePartForm):
    class Meta:
        model = Cohort
        fields = ["name", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}


class KpiForm(ProgrammePartForm):
    class Meta:
        model = Kpi
        fields = ["name", "target", "achieved", "achieved_on", "notes"]
        widgets = {"achieved_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


class AllocationBandForm(ProgrammePartForm):
    class Meta:
        model = AllocationBand
        fields = ["up_to_pupils", "sle_days", "funding"]
        help_texts = {"up_to_pupils": "Leave empty for the band that takes every larger school."}


class StrandForm(ProgrammePartForm):
    class Meta:
        model = InterventionStrand
        fields = ["name", "description"]


class BudgetLineForm(ProgrammePartForm):
    class Meta:
        model = BudgetLine
        fields = ["name", "category", "amount"]


class SpendEntryForm(forms.ModelForm):
    class Meta:
        model = SpendEntry
        fields = ["budget_line", "spent_on", "amount", "description", "school"]
        widgets = {"spent_on": DATE}
        help_texts = {"amount": "Negative for a refund or correction."}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = programme.budget_lines.all()
        self.fields["school"].queryset = School.objects.filter(
            enrolments__programme=programme
        ).order_by("name")


class EnrolmentForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["cohort", "sle_days_allocated", "funding_allocated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = self.instance.programme.cohorts.all()


class AllocationMode(models.TextChoices):
    UNIFORM = "uniform", "The same for every school"
    BY_SIZE = "by_size", "Scaled by school size (the programme's allocation bands)"


class BulkEnrolmentForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none())
    schools = UrnListField(
        label="URNs of the schools", help_text="Paste them from a spreadsheet: one a line."
    )
    allocation = forms.ChoiceField(
        choices=AllocationMode.choices, widget=forms.RadioSelect, initial=AllocationMode.UNIFORM
    )
    sle_days = forms.DecimalField(
        label="SLE days each", required=False, min_value=0, max_digits=5, decimal_places=1
    )
    funding = forms.DecimalField(
        label="Funding each (£)", required=False, min_value=0, max_digits=10, decimal_places=2
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = programme.cohorts.all()

    def clean(self):
        data = super().clean()
        if data.get("allocation") == AllocationMode.UNIFORM and data.get("sle_days") is None:
            self.add_error("sle_days", "Give the SLE days each school gets.")
        return data


class ComparisonSchoolsForm(forms.Form):
    schools = UrnListField(
        label="URNs of the comparison schools",
        help_text="Schools that take part in the evaluation only: one URN a line.",
    )


class EnrolmentFilterForm(forms.Form):
    search = forms.CharField(label="School name or URN", required=False)
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), required=False)
    local_authority = forms.ModelChoiceField(queryset=LocalAuthority.objects.none(), required=False)
    over_allocation = forms.BooleanField(label="Only schools over their SLE days", required=False)

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = programme.cohorts.all()
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            schools__enrolments__programme=programme
        ).distinct()


class InvitationAnswer(models.TextChoices):
    ACCEPT = "accept", "Accept"
    DECLINE = "decline", "Decline"


class InvitationAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Your answer", choices=InvitationAnswer.choices, widget=forms.RadioSelect
    )
