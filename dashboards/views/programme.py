"""A programme's pages that read several apps: its dashboard, its budget with the SLE days its
visits used, and its schools with the days each used."""

from django.shortcuts import render

from accounts.access import may_enrol_directly, programme_led_or_404, uploads_visible_to
from accounts.downloads import table_download
from evaluation.selectors import report_status
from evaluation.targets import targets_on_track
from programmes import selectors as programme_selectors
from programmes.forms import EnrolmentFilterForm
from programmes.models import InvitationKind
from visits.selectors import enrolments_with_days_used, schools_overdue_for_visit, sle_days
from workgroups.selectors import cpd_counts

from .. import figures, selectors, trends, value
from ..tables import delivery, tables_download
from ..tables.figures import programme_tables

# The first few overdue visits and actions the dashboard lists; the counts give the rest.
OVERDUE_SHOWN = 5


def programme_dashboard(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    status = report_status(programme=programme)
    headlines = figures.programme_headlines(snapshot=status.snapshot, programme=programme)
    charts = figures.programme_charts(snapshot=status.snapshot, programme=programme)
    cohorts = figures.cohort_figures(snapshot=status.snapshot, programme=programme)
    attention = figures.schools_needing_attention(snapshot=status.snapshot, programme=programme)
    tables = programme_tables(
        headlines=headlines,
        charts=charts if status.snapshot else {},
        threshold=status.threshold,
        cohorts=cohorts,
        attention=attention,
    )
    over_years = trends.year_trends(selectors.end_of_year_attainment(programmes=[programme]))
    tables |= trends.trend_tables(over_years)
    if download := tables_download(request, tables, figures_of=str(programme), programme=programme):
        return download
    # Lists, read once: the page's tables and their downloads show the same rows.
    context = {
        "programme": programme,
        "cohorts": list(programme_selectors.cohorts_with_school_counts(programme=programme)),
        "local_authorities": list(
            programme_selectors.local_authorities_with_school_counts(programme=programme)
        ),
        "kpis": list(programme.kpis.all()),
        "bands": list(programme.allocation_bands.all()),
        "sle_days": sle_days(programme=programme),
        "budget": programme_selectors.budget(programme=programme),
    }
    if download := tables_download(request, delivery.dashboard_tables(context)):
        return download
    progress = value.progress_to_latest(snapshot=status.snapshot, programme=programme)
    context |= {
        "progress": progress,
        "value": value.value_for_money(
            progress=progress, programme=programme, budget=context["budget"]
        ),
        "report": status,
        "targets": targets_on_track(programme=programme),
        "headlines": headlines,
        "charts": charts,
        "trends": over_years,
        "cohort_figures": cohorts,
        "attention": attention,
        "taking_part": selectors.schools_taking_part(programme=programme),
        "uploads": uploads_visible_to(request.user).filter(window__programme=programme)[:5],
        "cpd": cpd_counts(programme=programme),
        "overdue": selectors.overdue(
            visits_due=schools_overdue_for_visit(programmes=[programme]),
            schools=programme.enrolments.values("school"),
            shown=OVERDUE_SHOWN,
        ),
    }
    return render(request, "dashboards/programme.html", context)


def budget(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    context = {
        "programme": programme,
        "budget": programme_selectors.budget(programme=programme),
        "spend": list(programme_selectors.recent_spend(programme=programme)),
        "sle_days": sle_days(programme=programme),
    }
    tables = {
        "budget": delivery.BudgetTable(context["budget"]),
        "spend": delivery.SpendTable(context["spend"]),
    }
    if download := tables_download(request, tables):
        return download
    return render(request, "dashboards/budget.html", context)


def enrolment_list(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    filters = EnrolmentFilterForm(request.GET or None, programme=programme)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    rows = enrolments_with_days_used(programme=programme, **criteria)
    table = delivery.EnrolmentTable(rows, programme=programme)
    if download := table_download(request, table, name="schools", bookmarked=True):
        return download
    context = {
        "programme": programme,
        "filters": filters,
        "table": table,
        "direct": may_enrol_directly(request.user),
        "invitations": programme_selectors.invitations_sent(
            programme=programme, kind=InvitationKind.ENROL
        ),
    }
    return render(request, "dashboards/enrolment_list.html", context)
