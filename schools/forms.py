import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from programmes.models import Programme

from .models import (
    Action,
    LocalAuthority,
    Progress,
    Risk,
    School,
    StaffMember,
    VisitKind,
    VisitLength,
)
from .photos import photo_opened


class SchoolRegisterUploadForm(forms.Form):
    file = forms.FileField(
        label="GIAS export (CSV)",
        help_text=(
            "Download from Get Information about Schools: search establishments, then "
            "'Download', 'Full set of data' as CSV."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            limit = filesizeformat(settings.UPLOAD_MAX_BYTES)
            raise forms.ValidationError(f"The file is larger than the {limit} we accept.")
        head = upload.read(8192)
        upload.seek(0)
        # Judge by content, not name: a spreadsheet or PDF renamed .csv has NUL bytes or a
        # ZIP/PDF signature near its start.
        if b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF")):
            raise forms.ValidationError(
                "This is not a CSV file. In GIAS, choose the CSV download, not Excel."
            )
        return upload


class UrnListField(forms.CharField):
    """URNs typed or pasted in any layout (one a line, or separated by commas or spaces),
    cleaned to the schools they name; unknown URNs are named in the error."""

    widget = forms.Textarea(attrs={"rows": 4})

    def clean(self, value):
        text = super().clean(value)
        tokens = [token for token in re.split(r"[\s,;]+", text or "") if token]
        bad = [token for token in tokens if not (token.isdigit() and len(token) == 6)]
        if bad:
            raise forms.ValidationError(f"Not a 6-digit URN: {', '.join(bad)}.")
        urns = list(dict.fromkeys(int(token) for token in tokens))
        schools = School.objects.in_bulk(urns, field_name="urn")
        unknown = [str(urn) for urn in urns if urn not in schools]
        if unknown:
            raise forms.ValidationError(
                f"No school with URN {', '.join(unknown)}. Import the register of schools first."
            )
        return [schools[urn] for urn in urns]


class StaffMemberForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["full_name", "email", "role", "year_group", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "end_date": "When they left or changed role. For a new role, add them again.",
            "year_group": "Class teachers: the year group they teach (0 for Reception).",
        }


class SchoolFilterForm(forms.Form):
    search = forms.CharField(label="Name, URN or postcode", required=False)
    local_authority = forms.ModelChoiceField(queryset=LocalAuthority.objects.all(), required=False)
    phase = forms.CharField(required=False)
    open_only = forms.BooleanField(label="Open schools only", required=False, initial=True)


class SchoolForm(forms.ModelForm):
    """For the few schools the register does not have yet, or a correction before the next
    register import (which will overwrite register fields)."""

    class Meta:
        model = School
        fields = [
            "urn", "name", "phase", "establishment_type", "local_authority", "trust",
            "postcode", "number_on_roll", "percentage_fsm", "is_open",
        ]  # fmt: skip


YEAR_GROUP_LABELS = {0: "Reception"} | {n: f"Year {n}" for n in range(1, 14)}


def year_groups_for(school: School) -> list[int]:
    phase = school.phase.lower()
    if "secondary" in phase:
        return list(range(7, 14))
    if "primary" in phase or "infant" in phase or "junior" in phase:
        return list(range(0, 7))
    return list(range(0, 14))


class VisitForm(forms.Form):
    """A record of visit. Open actions get a progress choice and comment each (fields
    action_<id>_progress and action_<id>_comment)."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    programme = forms.ModelChoiceField(queryset=None, empty_label=None)
    visit_date = forms.DateField(
        label="Date of visit", widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label="Kind of visit", choices=VisitKind.choices)
    length = forms.ChoiceField(
        choices=VisitLength.choices, widget=forms.RadioSelect, initial=VisitLength.HALF_DAY
    )
    hours = forms.DecimalField(
        required=False,
        min_value=0.5,
        max_value=12,
        decimal_places=1,
        help_text="Only for a visit logged in hours.",
    )
    year_groups = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Year groups covered"
    )
    staff_worked_with = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    focus_areas = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    activities = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    strengths = forms.CharField(
        label="Strengths seen", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: each becomes an action on the school's plan.",
    )

    def __init__(self, *args, school: School, programmes, open_actions, **kwargs):
        super().__init__(*args, **kwargs)
        from programmes.models import FocusArea
        from workgroups.selectors import current_staff

        self.school = school
        self.open_actions = list(open_actions)
        self.fields["programme"].queryset = Programme.objects.filter(
            pk__in=[p.pk for p in programmes]
        )
        self.fields["year_groups"].choices = [
            (n, YEAR_GROUP_LABELS[n]) for n in year_groups_for(school)
        ]
        self.fields["staff_worked_with"].queryset = (
            current_staff().filter(school=school).order_by("full_name")
        )
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(programme__in=programmes)
        for action in self.open_actions:
            self.fields[f"action_{action.pk}_progress"] = forms.ChoiceField(
                label="Progress since the last visit",
                choices=Progress.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"action_{action.pk}_comment"] = forms.CharField(
                label="Comment", required=False
            )

    def clean(self):
        data = super().clean()
        if data.get("length") == VisitLength.HOURS and not data.get("hours"):
            self.add_error("hours", "Give the number of hours.")
        programme = data.get("programme")
        areas = data.get("focus_areas") or []
        if programme and any(area.programme_id != programme.pk for area in areas):
            self.add_error("focus_areas", "Choose focus areas of the programme this visit is for.")
        return data

    def action_fields(self):
        """(action, progress field, comment field) for each open action, for the template."""
        return [
            (action, self[f"action_{action.pk}_progress"], self[f"action_{action.pk}_comment"])
            for action in self.open_actions
        ]

    def visit_fields(self):
        return [field for field in self.visible_fields() if not field.name.startswith("action_")]

    def action_updates(self) -> dict:
        updates = {}
        for action in self.open_actions:
            progress = self.cleaned_data.get(f"action_{action.pk}_progress")
            if progress:
                updates[action.pk] = (
                    progress,
                    self.cleaned_data.get(f"action_{action.pk}_comment", ""),
                )
        return updates


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_date", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = ["description", "mitigation", "is_open"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 2}),
        }


class VisitPhotoForm(forms.Form):
    # A plain file field: Django's ImageField would open the image by Pillow's own limits
    # before ours, and refuse a huge photo without saying why.
    image = forms.FileField(
        label="Photo of work",
        error_messages={"required": "Choose a photo (JPEG or PNG)."},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    caption = forms.CharField(required=False, max_length=200)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        photo_opened(upload)  # its header only: the worker decodes it
        return upload


class ReportPeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period is before its start.")
        return data
