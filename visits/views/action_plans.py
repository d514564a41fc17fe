from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.access import action_plan_editable_or_404, can_edit_action_plan, school_visible_or_404
from mathsprog.services import model_save
from mathsprog.views import form_view

from .. import selectors
from ..forms import ActionForm, RiskForm
from ..models import Action, Risk


def action_plan(request, urn: int):
    """One clear, printable page per school: actions with owner, due date and RAG status,
    the visit that raised each, and risks with their mitigation."""
    school = school_visible_or_404(request.user, urn)
    actions, risks = selectors.action_plan(school=school)
    context = {
        "school": school,
        "actions": actions,
        "risks": risks,
        "can_edit": can_edit_action_plan(request.user, school),
    }
    return render(request, "visits/action_plan.html", context)


def _plan_part(request, urn, pk, *, model, form_class, related, noun):
    school = action_plan_editable_or_404(request.user, urn)
    instance = get_object_or_404(getattr(school, related), pk=pk) if pk else None
    url = reverse("visits:action_plan", args=[school.urn])
    return form_view(
        request,
        form_class(request.POST or None, instance=instance),
        save=lambda data: model_save(model, instance, school=school, **data),
        success_url=url,
        title=f"Edit {noun}" if instance else f"New {noun}",
        back_url=url,
        back_label="Action plan",
    )


def action_form(request, urn: int, pk: int | None = None):
    return _plan_part(
        request, urn, pk, model=Action, form_class=ActionForm, related="actions", noun="action"
    )


def risk_form(request, urn: int, pk: int | None = None):
    return _plan_part(
        request, urn, pk, model=Risk, form_class=RiskForm, related="risks", noun="risk"
    )
