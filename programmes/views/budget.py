from django.urls import reverse

from accounts.access import programme_led_or_404
from mathsprog.views import form_view

from .. import part_services, services
from ..forms import BudgetLineForm, SpendEntryForm
from .parts import programme_part_form


def _budget_url(programme) -> str:
    return reverse("dashboards:budget", args=[programme.slug])


def budget_line_form(request, slug: str, pk: int | None = None):
    return programme_part_form(
        request,
        slug,
        pk,
        form_class=BudgetLineForm,
        related="budget_lines",
        noun="budget line",
        back="dashboards:budget",
        back_label="Budget",
        create=part_services.budget_line_create,
        update=lambda line, data: part_services.budget_line_update(line=line, **data),
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
