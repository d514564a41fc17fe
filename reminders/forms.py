from django import forms

from .models import Frequency, Topic


class EmailPreferenceForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label="E-mails I want",
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick all to receive no e-mails from the portal.",
    )
    frequency = forms.ChoiceField(
        label="How often", choices=Frequency.choices, widget=forms.RadioSelect
    )
