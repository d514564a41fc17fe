from django.contrib import admin

from .models import AssessmentUpload, AssessmentWindow, NationalReference


@admin.register(NationalReference)
class NationalReferenceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "academic_year",
        "pct_expected_non_disadvantaged",
        "pct_expected_non_send",
    ]


@admin.register(AssessmentWindow)
class AssessmentWindowAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "kind", "date", "national_reference"]
    list_filter = ["programme", "kind"]


@admin.register(AssessmentUpload)
class AssessmentUploadAdmin(admin.ModelAdmin):
    """Read only: uploads change data only through the upload pages and their checks."""

    list_display = ["file_name", "window", "status", "uploaded_by", "uploaded_at", "rows"]
    list_filter = ["status"]
    exclude = ["error_report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
