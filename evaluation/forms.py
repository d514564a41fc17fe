from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from accounts.access import leader_school_ids, upload_windows_for, uploads_for_any_school
from programmes.models import Programme
from schools.models import School

from .upload_file import UnreadableFile, kind_of


class WindowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, window):
        return f"{window.programme.name}: {window.name} ({window.date:%-d %b %Y})"


class AssessmentUploadForm(forms.Form):
    window = WindowChoiceField(queryset=None, label="Assessment")
    school = forms.ModelChoiceField(
        queryset=School.objects.none(),
        required=False,
        help_text="Your school: the file may hold its pupils only.",
    )
    file = forms.FileField(
        label="Results file (CSV or XLSX)",
        help_text="One row a pupil. Names and dates of birth may stay in the file: "
        "they are ignored and never stored.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["window"].queryset = upload_windows_for(user).order_by(
            "programme__name", "date"
        )
        own = leader_school_ids(user)
        if own:
            self.fields["school"].queryset = School.objects.filter(pk__in=own)
        else:
            del self.fields["school"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            limit = filesizeformat(settings.UPLOAD_MAX_BYTES)
            raise forms.ValidationError(f"The file is larger than the {limit} we accept.")
        try:
            kind_of(upload)
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from error
        return upload

    def clean(self):
        data = super().clean()
        window, school = data.get("window"), data.get("school")
        leads = window and uploads_for_any_school(self.user, window)
        if window and not leads and not school:
            # Not the programme's hub lead: a school leader uploads for their own school.
            self.add_error("school", "Choose your school.")
        if window and school:
            programme = window.programme
            takes_part = (
                programme.enrolments.filter(school=school).exists()
                or programme.comparison_schools.filter(school=school).exists()
            )
            if not takes_part:
                self.add_error("school", f"{school.name} does not take part in {programme.name}.")
        return data


class SchoolChoiceForm(forms.Form):
    """The first step of a deletion: which school. The next page says what it would remove."""

    school = forms.ModelChoiceField(queryset=School.objects.order_by("name"))


class ProgrammeChoiceForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.order_by("name"))


class _TypedConfirmation(forms.Form):
    """The second step: typing what names the chosen school or programme, as a last look at
    what is about to go."""

    chosen = ""  # the field of what is chosen, already named on the page before

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.chosen].widget = forms.HiddenInput()

    def expected(self, chosen) -> str:
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        chosen = data.get(self.chosen)
        if chosen and data.get("confirm", "").strip() != self.expected(chosen):
            self.add_error("confirm", f"Type {self.expected(chosen)} to confirm.")
        return data


class SchoolDataDeletionForm(_TypedConfirmation, SchoolChoiceForm):
    chosen = "school"
    confirm = forms.CharField(
        label="Type the school's URN to confirm", help_text="It cannot be undone."
    )

    def expected(self, chosen) -> str:
        return str(chosen.urn)


class ProgrammeDataDeletionForm(_TypedConfirmation, ProgrammeChoiceForm):
    chosen = "programme"
    confirm = forms.CharField(
        label="Type the programme's short name (slug) to confirm",
        help_text="It cannot be undone.",
    )

    def expected(self, chosen) -> str:
        return chosen.slug
