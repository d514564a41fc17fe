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


class SchoolDataDeletionForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.order_by("name"))
    confirm = forms.CharField(
        label="Type the school's URN to confirm",
        help_text="This deletes every result and pupil detail recorded for the school. "
        "It cannot be undone.",
    )

    def clean(self):
        data = super().clean()
        school = data.get("school")
        if school and data.get("confirm", "").strip() != str(school.urn):
            self.add_error("confirm", f"Type {school.urn} to confirm.")
        return data


class ProgrammeDataDeletionForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.order_by("name"))
    confirm = forms.CharField(
        label="Type the programme's short name (slug) to confirm",
        help_text="This deletes every result of the programme's assessments, its uploaded "
        "files, and the details of its pupils who have no other results. It cannot be undone.",
    )

    def clean(self):
        data = super().clean()
        programme = data.get("programme")
        if programme and data.get("confirm", "").strip() != programme.slug:
            self.add_error("confirm", f"Type {programme.slug} to confirm.")
        return data
