from django import forms
from django.contrib.auth import forms as auth_forms

from mathsprog.queueing import enqueue

from .signin import normalise_email


class PasswordResetForm(auth_forms.PasswordResetForm):
    def clean_email(self) -> str:
        # One spelling, so that each address is counted once by the rate limit.
        return normalise_email(self.cleaned_data["email"])

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None) -> None:  # fmt: skip
        """Queued for the worker (accounts.services.password_reset_email_send), which makes
        the link and sends: the page answers at once, whether the mail server is slow or
        down. A broker that does not answer is logged; the page still says "check your
        e-mail", as it does for any address."""
        enqueue(
            "accounts.tasks.send_password_reset",
            context["user"].pk,
            context["domain"],
            context["protocol"] == "https",
        )


class TwoFactorCodeForm(forms.Form):
    """A code from an authenticator app (or, where `recovery` is allowed, a recovery code)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, recovery: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if recovery:
            field = self.fields["code"]
            field.label = "Code from your authenticator app, or a recovery code"
            field.help_text = "Six digits from the app, or one of your eight-character codes."
            # Recovery codes have letters: a numeric keypad would hide them.
            field.widget.attrs["inputmode"] = "text"

    def clean_code(self) -> str:
        # Typed as shown, in groups or with a capital: compared in the one spelling stored.
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


class TwoFactorSearchForm(forms.Form):
    search = forms.CharField(label="Name or e-mail address", required=False)


class TwoFactorResetForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
