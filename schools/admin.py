from django.contrib import admin

from .models import LocalAuthority, School


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "local_authority", "phase", "is_open"]
    list_filter = ["is_open", "phase", "local_authority"]
    search_fields = ["name", "=urn", "postcode"]
