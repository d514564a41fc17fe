from django.contrib import admin

from .models import Cohort, Enrolment, Programme


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "funder", "start_date", "end_date"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CohortInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["school", "cohort", "sle_days_allocated", "funding_allocated"]
    list_filter = ["cohort__programme"]
    autocomplete_fields = ["school"]
