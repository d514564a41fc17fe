from django import forms

from programmes.models import FocusArea, Programme
from schools.models import School
from schools.year_groups import YEAR_GROUP_LABELS
from workgroups.selectors import current_staff

from .models import Action, Progress, Risk, StandardSection, VisitKind, VisitLength
from .photos import photo_opened
from .question_fields import is_grouped, question_field
from .selectors import programme_year_groups


def _toggles(**kwargs) -> forms.Field:
    """Several choices as a row of 44 px toggle buttons (Bootstrap's btn-check)."""
    return forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
        **kwargs,
    )


class VisitForm(forms.Form):
    """A record of visit, asked in the order an SLE thinks of it: the visit's basics, what was
    seen, how last visit's actions went, then next steps. Open actions get a progress choice
    and comment each (fields action_<id>_progress and action_<id>_comment); actions of one
    description, raised at several visits, are asked about once."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    # The number of the programme's form the page was rendered with: a record written offline
    # against an older version is kept with that version.
    form_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    programme = forms.ModelChoiceField(queryset=None, empty_label=None)
    # Rendered as ISO: a date input shows nothing for 01/12/2026.
    visit_date = forms.DateField(
        label="Date of visit",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(label="Kind of visit", choices=VisitKind.choices)
    length = forms.ChoiceField(
        choices=VisitLength.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        initial=VisitLength.HALF_DAY,
    )
    hours = forms.DecimalField(
        required=False,
        min_value=0.5,
        max_value=12,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    staff_worked_with = _toggles(label="Who you worked with")
    year_groups = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
        label="Year groups covered",
    )
    focus_areas = _toggles()
    activities = forms.CharField(
        label="What you did", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    strengths = forms.CharField(
        label="Strengths seen", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_steps = forms.CharField(
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "class": "form-control", "aria-describedby": "next-steps-help"}
        ),
        help_text="One a line: each becomes an action on the school's plan.",
    )

    def __init__(self, *args, school: School, programmes, open_actions, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school, self.version = school, version
        self.sections = set(version.sections if version else StandardSection.values)
        shows_actions = StandardSection.ACTIONS in self.sections
        self.action_groups = _once_each(open_actions) if shows_actions else []
        self.fields["programme"].queryset = Programme.objects.filter(
            pk__in=[p.pk for p in programmes]
        )
        if len(programmes) == 1:
            self.fields["programme"].widget = forms.HiddenInput()
        years = programme_year_groups(programmes=programmes, school=school)
        self.fields["year_groups"].choices = [(n, YEAR_GROUP_LABELS[n]) for n in years]
        if version is not None:
            self.initial.setdefault("form_version", version.number)
            for question in version.questions.all():
                self.fields[question.field_name] = question_field(question, year_groups=years)
        self.fields["staff_worked_with"].queryset = (
            current_staff().filter(school=school).order_by("full_name")
        )
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(programme__in=programmes)
        for action, _ in self.action_groups:
            self.fields[f"action_{action.pk}_progress"] = forms.ChoiceField(
                label="Progress since the last visit",
                choices=Progress.choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )
            self.fields[f"action_{action.pk}_comment"] = forms.CharField(
                label="Comment",
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def clean(self):
        data = super().clean()
        if data.get("length") == VisitLength.HOURS and not data.get("hours"):
            self.add_error("hours", "Give the number of hours.")
        if data.get("length") != VisitLength.HOURS:
            data["hours"] = None  # typed, then the length changed: a day is a day
        programme = data.get("programme")
        areas = data.get("focus_areas") or []
        if programme and any(area.programme_id != programme.pk for area in areas):
            self.add_error("focus_areas", "Choose focus areas of the programme this visit is for.")
        return data

    def toggle_fields(self):
        return [self["staff_worked_with"], self["year_groups"], self["focus_areas"]]

    @property
    def hours_asked(self) -> bool:
        return self["length"].value() == VisitLength.HOURS

    def action_fields(self):
        """(action, progress field, comment field) for each open action, for the template."""
        return [
            (action, self[f"action_{action.pk}_progress"], self[f"action_{action.pk}_comment"])
            for action, _ in self.action_groups
        ]

    def shows(self) -> dict[str, bool]:
        """Which standard sections the programme's form shows, for the template."""
        return {section: section in self.sections for section in StandardSection.values}

    def question_fields(self):
        """(question, field, grouped) for each of the programme's own questions."""
        if self.version is None:
            return []
        return [
            (question, self[question.field_name], is_grouped(self[question.field_name]))
            for question in self.version.questions.all()
        ]

    def answers(self) -> dict:
        """The answers to the programme's questions, by question id."""
        if self.version is None:
            return {}
        return {q.pk: self.cleaned_data.get(q.field_name) for q in self.version.questions.all()}

    def action_updates(self) -> dict:
        """Progress on each open action; one answer covers every action of its description."""
        updates = {}
        for action, same in self.action_groups:
            progress = self.cleaned_data.get(f"action_{action.pk}_progress")
            if progress:
                comment = self.cleaned_data.get(f"action_{action.pk}_comment", "")
                updates |= {each.pk: (progress, comment) for each in same}
        return updates


def _once_each(open_actions) -> list[tuple[Action, list[Action]]]:
    """Open actions by description, in the order they fall due: the next step raised again at
    later visits is one thing to ask about, not three."""
    groups: dict[str, list[Action]] = {}
    for action in open_actions:
        groups.setdefault(" ".join(action.description.split()).casefold(), []).append(action)
    return [(same[0], same) for same in groups.values()]


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
