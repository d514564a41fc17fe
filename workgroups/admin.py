from django.contrib import admin

from mathsprog.services import form_changes

from . import services
from .models import Attendance, Event, WorkGroup, WorkGroupParticipant, WorkGroupType


@admin.register(WorkGroupType)
class WorkGroupTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "expected_schools", "expected_workshops", "expected_duration"]


class ParticipantInline(admin.TabularInline):
    model = WorkGroupParticipant
    extra = 0
    raw_id_fields = ["staff_member"]


@admin.register(WorkGroup)
class WorkGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "academic_year", "programme", "lead"]
    list_filter = ["type", "academic_year"]
    raw_id_fields = ["schools", "lead"]
    inlines = [ParticipantInline]

    def save_model(self, request, obj, form, change):
        """Through the service, which marks the programme's data changed when the group's
        name or schools change (a new group: once saved, with its schools)."""
        if not change:
            super().save_model(request, obj, form, change)
        fields = form_changes(form) if change else {"schools": form.cleaned_data["schools"]}
        services.work_group_update(work_group=obj, **fields)

    def delete_model(self, request, obj):
        services.work_group_delete(work_group=obj)

    def delete_queryset(self, request, queryset):
        for work_group in queryset:
            services.work_group_delete(work_group=work_group)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["staff_member"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "programme"]
    list_filter = ["kind", "programme"]
    inlines = [AttendanceInline]
