from django.shortcuts import render
from django.urls import reverse

from accounts.access import (
    can_create_programme,
    programme_led_or_404,
    programmes_visible_to,
    require_programme_creator,
)
from accounts.downloads import table_download
from mathsprog.views import form_view

from .. import part_services, selectors, services
from ..forms import AllocationBandForm, CohortForm, KpiForm, ProgrammeForm
from ..tables import ProgrammeTable
from .parts import programme_part_form


def programme_list(request):
    table = ProgrammeTable(
        selectors.programmes_with_school_counts(programmes_visible_to(request.user))
    )
    download = table_download(request, table, name="programmes")
    if download:
        return download
    context = {"table": table, "can_create": can_create_programme(request.user)}
    return render(request, "programmes/programme_list.html", context)


def _dashboard_url(programme) -> str:
    return reverse("dashboards:programme", args=[programme.slug])


def programme_create(request):
    require_programme_creator(request.user)
    return form_view(
        request,
        ProgrammeForm(request.POST or None),
        save=lambda data: services.programme_create(created_by=request.user, **data),
        success_url=_dashboard_url,
        title="New programme",
        message="Programme created. You lead it.",
    )


def programme_edit(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    return form_view(
        request,
        ProgrammeForm(request.POST or None, instance=programme),
        save=lambda data: services.programme_update(programme=programme, **data),
        success_url=_dashboard_url,
        title=f"Edit {programme.name}",
        back_url=_dashboard_url(programme),
    )


def _part(request, slug, pk, **kwargs):
    return programme_part_form(
        request, slug, pk, back="dashboards:programme", back_label="Programme", **kwargs
    )


def cohort_form(request, slug: str, pk: int | None = None):
    return _part(
        request,
        slug,
        pk,
        form_class=CohortForm,
        related="cohorts",
        noun="cohort",
        create=part_services.cohort_create,
        update=lambda cohort, data: part_services.cohort_update(cohort=cohort, **data),
    )


def kpi_form(request, slug: str, pk: int | None = None):
    return _part(
        request,
        slug,
        pk,
        form_class=KpiForm,
        related="kpis",
        noun="KPI",
        create=part_services.kpi_create,
        update=lambda kpi, data: part_services.kpi_update(kpi=kpi, **data),
    )


def allocation_band_form(request, slug: str, pk: int | None = None):
    return _part(
        request,
        slug,
        pk,
        form_class=AllocationBandForm,
        related="allocation_bands",
        noun="allocation band",
        create=part_services.allocation_band_create,
        update=lambda band, data: part_services.allocation_band_update(band=band, **data),
    )
