import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .models import School, StaffMember


class SchoolRegisterUploadForm(forms.Form):
    file = forms.FileField(
        label="GIAS export (CSV)",
        help_text=(
            "Download from Get Information about Schools: search establishments, then "
            "'Download', 'Full set of data' as CSV."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            limit = filesizeformat(settings.UPLOAD_MAX_BYTES)
            raise forms.ValidationError(f"The file is larger than the {limit} we accept.")
        head = upload.read(8192)
        upload.seek(0)
        # Judge by content, not name: a spreadsheet or PDF renamed .csv has NUL bytes or a
        # ZIP/PDF signature near its start.
        if b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF")):
            raise forms.ValidationError(
                "This is not a CSV file. In GIAS, choose the CSV download, not Excel."
            )
        return upload


class UrnListField(forms.CharField):
    """URNs typed or pasted in any layout (one a line, or separated by commas or spaces),
    cleaned to the schools they name; unknown URNs are named in the error."""

    widget = forms.Textarea(attrs={"rows": 4})

    def clean(self, value):
        text = super().clean(value)
        tokens = [token for token in re.split(r"[\s,;]+", text or "") if token]
        bad = [token for token in tokens if not (token.isdigit() and len(token) == 6)]
        if bad:
            raise forms.ValidationError(f"Not a 6-digit URN: {', '.join(bad)}.")
        urns = list(dict.fromkeys(int(token) for token in tokens))
        schools = School.objects.in_bulk(urns, field_name="urn")
        unknown = [str(urn) for urn in urns if urn not in schools]
        if unknown:
            raise forms.ValidationError(
                f"No school with URN {', '.join(unknown)}. Import the register of schools first."
            )
        return [schools[urn] for urn in urns]


class StaffMemberForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["full_name", "email", "role", "year_group", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "end_date": "When they left or changed role. For a new role, add them again.",
            "year_group": "Class teachers: the year group they teach (0 for Reception).",
        }


class SchoolForm(forms.ModelForm):
    """For the few schools the register does not have yet, or a correction before the next
    register import (which will overwrite register fields)."""

    class Meta:
        model = School
        fields = [
            "urn", "name", "phase", "establishment_type", "local_authority", "trust",
            "postcode", "number_on_roll", "percentage_fsm", "is_open",
        ]  # fmt: skip


class ReportPeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period is before its start.")
        return data
