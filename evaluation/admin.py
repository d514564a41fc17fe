from django.contrib import admin

from mathsprog.services import form_changes

from . import windows
from .models import AssessmentUpload, AssessmentWindow, NationalReference


@admin.register(NationalReference)
class NationalReferenceAdmin(admin.ModelAdmin):
    """Through the services: reports that compare with the figures are recomputed."""

    list_display = [
        "name",
        "academic_year",
        "pct_expected_non_disadvantaged",
        "pct_expected_non_send",
    ]

    def save_model(self, request, obj, form, change):
        windows.national_reference_save(reference=obj, **form_changes(form))

    def delete_model(self, request, obj):
        windows.national_reference_delete(reference=obj)

    def delete_queryset(self, request, queryset):
        for reference in queryset:
            windows.national_reference_delete(reference=reference)


@admin.register(AssessmentWindow)
class AssessmentWindowAdmin(admin.ModelAdmin):
    """Through the services: a window's scale, date or national reference changes its
    programme's report, which is then recomputed."""

    list_display = ["name", "programme", "kind", "date", "national_reference"]
    list_filter = ["programme", "kind"]

    def save_model(self, request, obj, form, change):
        windows.assessment_window_save(window=obj, **form_changes(form))

    def delete_model(self, request, obj):
        windows.assessment_window_delete(window=obj)

    def delete_queryset(self, request, queryset):
        for window in queryset:
            windows.assessment_window_delete(window=window)


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
