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
        # A cohort deleted takes its schools with it: each is un-enrolled through the service
        # first, so that the audit log records it.
        leaving = [f.instance.pk for f in formset.deleted_forms if f.instance.pk]
        for enrolment in Enrolment.objects.filter(cohort__in=leaving).select_related(
            "school", "programme"
        ):
            services.enrolment_remove(enrolment=enrolment, removed_by=request.user)
        super().save_formset(request, form, formset, change)
        renamed = any("name" in fields for _, fields in formset.changed_objects)
        if change and (renamed or formset.deleted_objects):
            services.programme_data_changed(programme_id=form.instance.pk)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    """Through the services: a school moved or un-enrolled changes the report, and an
    un-enrolment is recorded in the audit log. Schools are enrolled on the programme's pages
    (by invitation, or at once by a site admin), not here."""

    list_display = ["school", "cohort", "sle_days_allocated", "funding_allocated"]
    list_filter = ["cohort__programme"]
    autocomplete_fields = ["school"]

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        services.enrolment_update(enrolment=obj, **form_changes(form))

    def delete_model(self, request, obj):
        services.enrolment_remove(enrolment=obj, removed_by=request.user)

    def delete_queryset(self, request, queryset):
        for enrolment in queryset.select_related("school", "programme"):
            services.enrolment_remove(enrolment=enrolment, removed_by=request.user)
