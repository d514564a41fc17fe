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
        label="Results file (CSV, XLSX or Common Transfer File)",
        help_text="One row a pupil, or a CTF as your information system exports it. Names "
        "and dates of birth may stay in the file: they are ignored and never stored.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xml,text/csv"}),
    )
    # Which of a CTF's maths results go to the assessment: for a CTF only.
    ctf_key_stage = forms.ChoiceField(
        label="For a CTF: the key stage of the results",
        choices=[
            ("", "Not a CTF"),
            ("KS1", "Key stage 1"),
            ("KS2", "Key stage 2"),
            ("KS3", "Key stage 3"),
        ],
        required=False,
    )
    ctf_year = forms.IntegerField(
        label="For a CTF: the year of the results",
        min_value=2016,
        max_value=2100,
        required=False,
        help_text="The year the assessment was taken, as 2025; blank takes any year.",
    )
    ctf_method = forms.ChoiceField(
        label="For a CTF: the kind of result",
        choices=[
            ("", "Tests and teacher assessments"),
            ("TT", "Tests (scaled scores)"),
            ("TA", "Teacher assessments (PKF, WTS, EXS, GDS)"),
        ],
        required=False,
    )
    ctf_component = forms.CharField(
        label="For a CTF: the component",
        max_length=20,
        required=False,
        help_text="As the CTF names it; blank takes any component.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.kind = None  # what clean_file finds the file to be
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
            self.kind = kind_of(upload)
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from error
        return upload

    def _ctf_mapping(self, data: dict) -> None:
        """data["ctf"]: for a CTF, which of its results go to the window, for upload_create."""
        if self.kind != "ctf":
            data["ctf"] = None
            return
        if not data.get("ctf_key_stage"):
            self.add_error("ctf_key_stage", "Choose the key stage of the CTF's results.")
        data["ctf"] = {
            "key_stage": data.get("ctf_key_stage", ""),
            "year": str(data.get("ctf_year") or ""),
            "method": data.get("ctf_method", ""),
            "component": data.get("ctf_component", "").strip(),
        }

    def clean(self):
        data = super().clean()
        self._ctf_mapping(data)
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
