from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render

from .access import require_site_admin
from .downloads import table_download
from .filters import AuditEventFilter
from .forms import PasswordResetForm
from .models import AuditEvent
from .services import password_reset_allow
from .signin import client_address
from .tables import AuditEventTable


def audit_log(request):
    """Site admins: who created, changed, deleted, uploaded or exported pupil data and visit
    records, and who signed in, out or failed to."""
    require_site_admin(request.user)
    filters = AuditEventFilter(
        request.GET, queryset=AuditEvent.objects.select_related("actor", "programme", "school")
    )
    table = AuditEventTable(filters.qs)
    download = table_download(request, table, name="audit-log")
    if download:
        return download
    return render(request, "accounts/audit_log.html", {"filters": filters.form, "table": table})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with a limit on how many e-mails go to one address and from one client. A
    refused request sees the same "check your e-mail" page as any other (which says that only
    a few links are sent an hour), so the page tells nobody whether an account uses the
    address, nor whether the limit was reached."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if password_reset_allow(email=email, client_address=client_address(self.request)):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


password_reset = PasswordResetView.as_view()
