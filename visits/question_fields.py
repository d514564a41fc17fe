"""The fields of a programme's own questions on the visit form, after the standard sections.
Required questions carry the `required` attribute where HTML allows it and say so in their
label; help text is tied to its control by aria-describedby."""

from django import forms

from schools.year_groups import YEAR_GROUP_LABELS

from .models import Question, QuestionKind

TOGGLE = {"class": "btn-check"}


def _widget_and_field(question: Question, year_groups: list[int]):
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField, {"widget": forms.TextInput(attrs={"class": "form-control"})}
    if kind == QuestionKind.LONG_TEXT:
        widget = forms.Textarea(attrs={"class": "form-control", "rows": 3})
        return forms.CharField, {"widget": widget}
    if kind == QuestionKind.RATING:
        choices = [(n, f"{n} {label}") for n, label in enumerate(question.choices, start=1)]
        widget = forms.RadioSelect(attrs=TOGGLE)
        return forms.TypedChoiceField, {"choices": choices, "coerce": int, "widget": widget}
    if kind == QuestionKind.ONE_CHOICE:
        choices = [(c, c) for c in question.choices]
        return forms.ChoiceField, {"choices": choices, "widget": forms.RadioSelect(attrs=TOGGLE)}
    widget = forms.CheckboxSelectMultiple(attrs=TOGGLE)
    if kind == QuestionKind.YEAR_GROUPS:
        choices = [(n, YEAR_GROUP_LABELS[n]) for n in year_groups]
        return forms.TypedMultipleChoiceField, {"choices": choices, "coerce": int, "widget": widget}
    choices = [(c, c) for c in question.choices]
    return forms.MultipleChoiceField, {"choices": choices, "widget": widget}


def question_field(question: Question, *, year_groups: list[int]) -> forms.Field:
    field_class, options = _widget_and_field(question, year_groups)
    field = field_class(
        label=question.label,
        required=question.required,
        help_text=question.help_text,
        error_messages={"required": f"“{question.label}” needs an answer."},
        **options,
    )
    if question.help_text:
        field.widget.attrs["aria-describedby"] = f"{question.field_name}-help"
    return field


def is_grouped(field: forms.BoundField) -> bool:
    """Choices are a fieldset of toggle buttons; text is one labelled control."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
