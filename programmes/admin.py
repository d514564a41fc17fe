from django.contrib import admin

from mathsprog.services import form_changes

from . import services
from .models import Cohort, Enrolment, Programme


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """Edits go through the services, which mark the programme's data changed when its
    report shows what changed (its name, a cohort's name, a cohort and its schools gone)."""

    list_display = ["name", "funder", "start_date", "end_date"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CohortInline]

    def save_model(self, request, obj, form, change):
        if change:
            services.programme_update(programme=obj, **form_changes(form))
        else:
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        renamed = any("name" in fields for _, fields in formset.changed_objects)
        if change and (renamed or formset.deleted_objects):
            services.programme_data_changed(programme_id=form.instance.pk)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    """Through the services: a school enrolled, moved or un-enrolled changes the report."""

    list_display = ["school", "cohort", "sle_days_allocated", "funding_allocated"]
    list_filter = ["cohort__programme"]
    autocomplete_fields = ["school"]

    def save_model(self, request, obj, form, change):
        if change:
            services.enrolment_update(enrolment=obj, **form_changes(form))
        else:
            super().save_model(request, obj, form, change)
            services.programme_data_changed(programme_id=obj.programme_id)

    def delete_model(self, request, obj):
        services.enrolment_remove(enrolment=obj)

    def delete_queryset(self, request, queryset):
        for enrolment in queryset:
            services.enrolment_remove(enrolment=enrolment)
