from django.contrib import admin

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


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["staff_member"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "programme"]
    list_filter = ["kind", "programme"]
    inlines = [AttendanceInline]
