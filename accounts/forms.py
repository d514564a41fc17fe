from django.contrib.auth import forms as auth_forms

from .signin import normalise_email


class PasswordResetForm(auth_forms.PasswordResetForm):
    def clean_email(self) -> str:
        # One spelling, so that each address is counted once by the rate limit.
        return normalise_email(self.cleaned_data["email"])
