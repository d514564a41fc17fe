"""A programme's pages that read several apps: its dashboard, its budget with the SLE days its
visits used, and its schools with the days each used."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import may_enrol_directly, programme_led_or_404, uploads_visible_to
from evaluation.selectors import report_status
from mathsprog.exports import table_response
from programmes import selectors as programme_selectors
from programmes.forms import EnrolmentFilterForm
from programmes.models import InvitationKind
from visits.selectors import enrolments_with_days_used, sle_days
from workgroups.selectors import cpd_counts

from .. import figures

PAGE_SIZE = 50


def programme_dashboard(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    status = report_status(programme=programme)
    context = {
        "programme": programme,
        "cohorts": programme_selectors.cohorts_with_school_counts(programme=programme),
        "local_authorities": programme_selectors.local_authorities_with_school_counts(
            programme=programme
        ),
        "kpis": programme.kpis.all(),
        "bands": programme.allocation_bands.all(),
        "sle_days": sle_days(programme=programme),
        "budget": programme_selectors.budget(programme=programme),
        "report": status,
        "headlines": figures.programme_headlines(snapshot=status.snapshot, programme=programme),
        "charts": figures.programme_charts(snapshot=status.snapshot, programme=programme),
        "cohort_figures": figures.cohort_figures(snapshot=status.snapshot, programme=programme),
        "attention": figures.schools_needing_attention(
            snapshot=status.snapshot, programme=programme
        ),
        "uploads": uploads_visible_to(request.user).filter(window__programme=programme)[:5],
        "cpd": cpd_counts(programme=programme),
    }
    return render(request, "dashboards/programme.html", context)


def budget(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    context = {
        "programme": programme,
        "budget": programme_selectors.budget(programme=programme),
        "spend": programme_selectors.recent_spend(programme=programme),
        "sle_days": sle_days(programme=programme),
    }
    return render(request, "dashboards/budget.html", context)


def enrolment_list(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    filters = EnrolmentFilterForm(request.GET or None, programme=programme)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    rows = enrolments_with_days_used(programme=programme, **criteria)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_response(
            request,
            f"{programme.slug}-schools",
            ["URN", "School", "Local authority", "Cohort", "SLE days allocated",
             "SLE days used", "Funding allocated (£)"],
            ((e.school.urn, e.school.name, e.school.local_authority.name, e.cohort.name,
              e.sle_days_allocated, e.sle_days_used, e.funding_allocated) for e in rows),
        )  # fmt: skip
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "direct": may_enrol_directly(request.user),
        "invitations": programme_selectors.invitations_sent(
            programme=programme, kind=InvitationKind.ENROL
        ),
    }
    return render(request, "dashboards/enrolment_list.html", context)
