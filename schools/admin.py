from django.contrib import admin

from mathsprog.services import form_changes

from . import services
from .models import LocalAuthority, School


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.local_authority_save(local_authority=obj, **form_changes(form))


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    """Edits go through the service: a new name or local authority reaches the reports."""

    list_display = ["name", "urn", "local_authority", "phase", "is_open"]
    list_filter = ["is_open", "phase", "local_authority"]
    search_fields = ["name", "=urn", "postcode"]

    def save_model(self, request, obj, form, change):
        services.school_save(school=obj, **form_changes(form))
