from django.shortcuts import render
from django.urls import reverse

from accounts.access import programme_led_or_404
from mathsprog.views import form_view

from .. import selectors, services
from ..forms import BudgetLineForm, SpendEntryForm
from .parts import programme_part_form


def budget(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    context = {
        "programme": programme,
        "budget": selectors.budget(programme=programme),
        "spend": selectors.recent_spend(programme=programme),
        "sle_days": selectors.sle_days(programme=programme),
    }
    return render(request, "programmes/budget.html", context)


def _budget_url(programme) -> str:
    return reverse("programmes:budget", args=[programme.slug])


def budget_line_form(request, slug: str, pk: int | None = None):
    return programme_part_form(
        request,
        slug,
        pk,
        form_class=BudgetLineForm,
        related="budget_lines",
        noun="budget line",
        back="programmes:budget",
        back_label="Budget",
    )


def spend_new(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    return form_view(
        request,
        SpendEntryForm(request.POST or None, programme=programme),
        save=lambda data: services.spend_record(recorded_by=request.user, **data),
        success_url=_budget_url(programme),
        message="Spend recorded.",
        title="Record spend",
        back_url=_budget_url(programme),
        back_label="Budget",
    )
