"""What the hub lead fills in to compose the programme's visit form."""

from django import forms

from .models import QuestionKind, StandardSection, VisitFormVersion
from .services import QuestionDraft


class SectionsForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label="Standard sections shown",
        choices=StandardSection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The visit's basics (date, length, who was seen) are always asked.",
    )


class QuestionForm(forms.Form):
    label = forms.CharField(label="Question", max_length=200)
    # The select always sends a kind: as its initial, an empty row is left unchanged.
    kind = forms.ChoiceField(choices=QuestionKind.choices, initial=QuestionKind.SHORT_TEXT)
    help_text = forms.CharField(max_length=300, required=False)
    required = forms.BooleanField(required=False)
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line. For a rating, the labels of 1 to 4 (or none for the usual ones).",
    )

    def draft(self) -> QuestionDraft:
        data = self.cleaned_data
        return QuestionDraft(
            kind=data["kind"],
            label=data["label"],
            help_text=data["help_text"],
            required=data["required"],
            choices=[line.strip() for line in data["choices"].splitlines() if line.strip()],
        )


QuestionFormSet = forms.formset_factory(QuestionForm, extra=2, can_delete=True)


def composer_initial(version: VisitFormVersion | None) -> tuple[dict, list[dict]]:
    """The current version's sections and questions, to change and publish anew."""
    if version is None:
        return {"sections": StandardSection.values}, []
    questions = [
        {
            "label": q.label,
            "kind": q.kind,
            "help_text": q.help_text,
            "required": q.required,
            "choices": "\n".join(q.choices),
        }
        for q in version.questions.all()
    ]
    return {"sections": version.sections}, questions


def drafts_kept(formset) -> list[QuestionDraft]:
    """The questions filled in and not marked for removal, in their order."""
    return [
        form.draft()
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
