from django.contrib import admin

from .models import EmailPreference, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The ledger, to answer "was I told?": read only, since a row is what was sent."""

    list_display = ["planned_at", "kind", "email", "subject", "sent_at", "unsubscribed_at"]
    list_filter = ["kind"]
    search_fields = ["email", "subject"]
    date_hierarchy = "planned_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "stopped", "updated_at"]
    search_fields = ["email"]
    readonly_fields = ["email", "frequency", "stopped", "updated_at"]

    def has_add_permission(self, request):
        return False
