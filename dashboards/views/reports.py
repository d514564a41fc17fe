"""The printable reports, each also as a PDF: a programme's to its funder, and a school's
to its governors."""

from django.shortcuts import render
from django.utils import timezone

from accounts.access import (
    may_see_comparison_school,
    programme_led_or_404,
    school_programmes_visible_to,
    school_visible_or_404,
)
from accounts.audit import audit
from accounts.models import AuditAction
from evaluation.selectors import report_status
from evaluation.targets import school_targets_on_track, targets_on_track
from mathsprog.pdf import pdf_response
from schools.academic_year import academic_year_of, academic_year_start
from schools.forms import ReportPeriodForm
from schools.year_groups import YEAR_GROUP_LABELS

from .. import figures, selectors, trends, value
from ..tables import tables_download
from ..tables.delivery import funder_tables, governor_tables
from ..tables.figures import programme_tables


def funder_report(request, slug: str):
    """The programme's report to its funder: printable, and as a PDF."""
    programme = programme_led_or_404(request.user, slug)
    status = report_status(programme=programme)
    headlines = figures.programme_headlines(snapshot=status.snapshot, programme=programme)
    charts = figures.programme_charts(snapshot=status.snapshot, programme=programme)
    tables = programme_tables(
        headlines=headlines, charts=charts if status.snapshot else {}, threshold=status.threshold
    )
    if download := tables_download(request, tables, figures_of=str(programme), programme=programme):
        return download
    context = {
        "programme": programme,
        "report": status,
        "headlines": headlines,
        "charts": charts,
        "figures": selectors.funder_report(programme=programme),
    }
    if download := tables_download(request, funder_tables(context["figures"])):
        return download
    progress = value.progress_to_latest(snapshot=status.snapshot, programme=programme)
    context["value"] = value.value_for_money(
        progress=progress, programme=programme, budget=context["figures"]["budget"]
    )
    context["targets"] = targets_on_track(programme=programme)
    if request.GET.get("format") != "pdf":
        return render(request, "dashboards/funder_report.html", context)
    audit(
        request.user,
        AuditAction.EXPORTED,
        f"Funder report of {programme} (PDF)",
        programme=programme,
    )
    return pdf_response(
        request, "dashboards/funder_report_pdf.html", context, f"funder-report-{programme.slug}.pdf"
    )


def governor_report(request, urn: int):
    """A read-only report on the programme's work in a school over a chosen period, in words,
    tables and charts; printable, and as a PDF."""
    school = school_visible_or_404(request.user, urn)
    today = timezone.localdate()
    start, end = academic_year_start(academic_year_of(today)), today
    form = ReportPeriodForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    programmes = school_programmes_visible_to(request.user, school)
    report = selectors.governor_report(school=school, start=start, end=end, programmes=programmes)
    evaluation, over_years, tables = trends.school_evaluation(
        school=school,
        programmes=programmes,
        comparison_shown=may_see_comparison_school(request.user, school.pk),
    )
    if download := tables_download(request, tables, figures_of=school.name, school=school):
        return download
    if download := tables_download(request, governor_tables(report)):
        return download
    context = {
        "form": form,
        "report": report,
        "year_groups": [YEAR_GROUP_LABELS[n] for n in report.year_groups],
        "evaluation": evaluation,
        "trends": over_years,
        "school": school,
        "school_targets": school_targets_on_track(school=school, programmes=programmes),
        "charts": True,
    }
    if request.GET.get("format") == "pdf":
        return _pdf(request, school, context)
    return render(request, "dashboards/governor_report.html", context)


def _pdf(request, school, context):
    audit(
        request.user, AuditAction.EXPORTED, f"Governor report of {school.name} (PDF)", school=school
    )
    return pdf_response(
        request, "dashboards/governor_report_pdf.html", context, f"governor-report-{school.urn}.pdf"
    )
