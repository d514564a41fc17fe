from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.access import programme_led_or_404
from mathsprog.services import model_save
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
    save=None,
):
    """Create (no pk) or edit one of the things a programme holds: a cohort, KPI, allocation
    band, strand or budget line. The hub lead of the programme only. `save(instance, fields)`
    is the service that writes it, where a plain save is not enough."""
    programme = programme_led_or_404(request.user, slug)
    instance = get_object_or_404(getattr(programme, related), pk=pk) if pk else None
    model = form_class._meta.model
    write = save or (lambda instance, fields: model_save(model, instance, **fields))
    back_url = reverse(back, args=[programme.slug])
    return form_view(
        request,
        form_class(request.POST or None, instance=instance, programme=programme),
        save=lambda data: write(instance, {"programme": programme, **data}),
        success_url=back_url,
        title=f"Edit {noun}" if instance else f"New {noun}",
        back_url=back_url,
        back_label=back_label,
    )
