from django.shortcuts import render
from django.urls import reverse

from accounts.access import (
    can_create_programme,
    programme_led_or_404,
    programmes_visible_to,
    require_programme_creator,
    uploads_visible_to,
)
from evaluation import selectors as evaluation_selectors
from mathsprog.views import form_view
from workgroups.selectors import cpd_counts

from .. import selectors, services
from ..forms import AllocationBandForm, CohortForm, KpiForm, ProgrammeForm
from .parts import programme_part_form


def programme_list(request):
    programmes = selectors.programmes_with_school_counts(programmes_visible_to(request.user))
    context = {"programmes": programmes, "can_create": can_create_programme(request.user)}
    return render(request, "programmes/programme_list.html", context)


def programme_dashboard(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    report_status = evaluation_selectors.report_status(programme=programme)
    context = {
        "programme": programme,
        "cohorts": selectors.cohorts_with_school_counts(programme=programme),
        "local_authorities": selectors.local_authorities_with_school_counts(programme=programme),
        "kpis": programme.kpis.all(),
        "bands": programme.allocation_bands.all(),
        "sle_days": selectors.sle_days(programme=programme),
        "budget": selectors.budget(programme=programme),
        "report": report_status,
        "headlines": evaluation_selectors.programme_headlines(
            snapshot=report_status.snapshot, programme=programme
        ),
        "charts": evaluation_selectors.programme_charts(
            snapshot=report_status.snapshot, programme=programme
        ),
        "cohort_figures": evaluation_selectors.cohort_figures(
            snapshot=report_status.snapshot, programme=programme
        ),
        "attention": evaluation_selectors.schools_needing_attention(
            snapshot=report_status.snapshot, programme=programme
        ),
        "uploads": uploads_visible_to(request.user).filter(window__programme=programme)[:5],
        "cpd": cpd_counts(programme=programme),
    }
    return render(request, "programmes/dashboard.html", context)


def _dashboard_url(programme) -> str:
    return reverse("programmes:dashboard", args=[programme.slug])


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
        request, slug, pk, back="programmes:dashboard", back_label="Programme", **kwargs
    )


def cohort_form(request, slug: str, pk: int | None = None):
    return _part(
        request,
        slug,
        pk,
        form_class=CohortForm,
        related="cohorts",
        noun="cohort",
        save=lambda cohort, fields: services.cohort_save(cohort=cohort, **fields),
    )


def kpi_form(request, slug: str, pk: int | None = None):
    return _part(request, slug, pk, form_class=KpiForm, related="kpis", noun="KPI")


def allocation_band_form(request, slug: str, pk: int | None = None):
    return _part(
        request,
        slug,
        pk,
        form_class=AllocationBandForm,
        related="allocation_bands",
        noun="allocation band",
    )
