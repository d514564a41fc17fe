from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.access import action_plan_editable_or_404, can_edit_action_plan, school_visible_or_404
from accounts.downloads import table_download
from mathsprog.views import form_view

from .. import selectors, services
from ..forms import ActionForm, RiskForm
from ..tables import ActionTable, RiskTable


def action_plan(request, urn: int):
    """One clear, printable page per school: actions with owner, due date and RAG status,
    the visit that raised each, and risks with their mitigation."""
    school = school_visible_or_404(request.user, urn)
    actions, risks = selectors.action_plan(school=school)
    can_edit = can_edit_action_plan(request.user, school)
    tables = {
        "actions": ActionTable(actions, school=school, can_edit=can_edit),
        "risks": RiskTable(risks, school=school, can_edit=can_edit),
    }
    for name, table in tables.items():
        download = table_download(request, table, name=name)
        if download:
            return download
    context = {"school": school, "can_edit": can_edit, **tables}
    return render(request, "visits/action_plan.html", context)


def _plan_part(request, urn, pk, *, form_class, related, noun, create, update):
    """A new (no pk) or edited line of the school's action plan: `create(school=...,
    **fields)` and `update(instance, fields)` are its services."""
    school = action_plan_editable_or_404(request.user, urn)
    instance = get_object_or_404(getattr(school, related), pk=pk) if pk else None
    url = reverse("visits:action_plan", args=[school.urn])
    return form_view(
        request,
        form_class(request.POST or None, instance=instance),
        save=lambda data: update(instance, data) if instance else create(school=school, **data),
        success_url=url,
        title=f"Edit {noun}" if instance else f"New {noun}",
        back_url=url,
        back_label="Action plan",
    )


def action_form(request, urn: int, pk: int | None = None):
    return _plan_part(
        request,
        urn,
        pk,
        form_class=ActionForm,
        related="actions",
        noun="action",
        create=services.action_create,
        update=lambda action, data: services.action_update(action=action, **data),
    )


def risk_form(request, urn: int, pk: int | None = None):
    return _plan_part(
        request,
        urn,
        pk,
        form_class=RiskForm,
        related="risks",
        noun="risk",
        create=services.risk_create,
        update=lambda risk, data: services.risk_update(risk=risk, **data),
    )
