from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat


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
