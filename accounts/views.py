from django import forms
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from mathsprog.exports import whole_list

from .access import require_site_admin
from .forms import PasswordResetForm
from .models import AuditAction, AuditEvent
from .services import password_reset_allow
from .signin import client_address


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(choices=[("", "Every action"), *AuditAction.choices], required=False)
    search = forms.CharField(label="Person or subject", required=False)


AUDIT_COLUMNS = ["When", "Who", "What", "Subject", "Where", "Details"]


def _audit_row(event) -> tuple:
    where = event.school or event.programme
    details = ", ".join(f"{key}: {value}" for key, value in event.details.items())
    return (
        timezone.localtime(event.at).isoformat(timespec="seconds"),
        event.actor_name,
        event.get_action_display(),
        event.subject,
        where.name if where else "",
        details,
    )


def audit_log(request):
    """Site admins: who created, changed, deleted, uploaded or exported pupil data and visit
    records."""
    require_site_admin(request.user)
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("programme", "school")
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["search"]:
            term = form.cleaned_data["search"]
            events = events.filter(Q(subject__icontains=term) | Q(actor_name__icontains=term))
    download = whole_list(request, "audit-log", AUDIT_COLUMNS, _audit_row, events)
    if download:
        return download
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": form, "page": page, "query": query.urlencode()}
    return render(request, "accounts/audit_log.html", context)


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
