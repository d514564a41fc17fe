from django import forms

from programmes.models import FocusArea, Programme
from schools.models import School
from schools.year_groups import YEAR_GROUP_LABELS, year_groups_for
from workgroups.selectors import current_staff

from .models import Action, Progress, Risk, VisitKind, VisitLength
from .photos import photo_opened


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
            "due_date": forms.DateInput(attrs={"type": "date"}),
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
