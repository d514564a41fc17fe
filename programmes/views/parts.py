from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.access import programme_led_or_404
from mathsprog.views import form_view


def programme_part_form(
    request,
    slug: str,
    pk: int | None,
    *,
    form_class,
    related: str,
    noun: str,
    back: str,
    back_label: str,
    create,
    update,
):
    """Create (no pk) or edit one of the things a programme holds: a cohort, KPI, allocation
    band, strand or budget line. The hub lead of the programme only. `create(programme=...,
    **fields)` and `update(instance, fields)` are the part's services."""
    programme = programme_led_or_404(request.user, slug)
    instance = get_object_or_404(getattr(programme, related), pk=pk) if pk else None
    back_url = reverse(back, args=[programme.slug])
    return form_view(
        request,
        form_class(request.POST or None, instance=instance, programme=programme),
        save=lambda data: (
            update(instance, data) if instance else create(programme=programme, **data)
        ),
        success_url=back_url,
        title=f"Edit {noun}" if instance else f"New {noun}",
        back_url=back_url,
        back_label=back_label,
    )
