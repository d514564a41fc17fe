"""The printable reports, each also as a PDF: a programme's to its funder, and a school's
to its governors."""

from datetime import date

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
from mathsprog.pdf import pdf_response
from schools.forms import YEAR_GROUP_LABELS, ReportPeriodForm

from .. import figures, selectors


def funder_report(request, slug: str):
    """The programme's report to its funder: printable, and as a PDF."""
    programme = programme_led_or_404(request.user, slug)
    status = report_status(programme=programme)
    context = {
        "programme": programme,
        "report": status,
        "headlines": figures.programme_headlines(snapshot=status.snapshot, programme=programme),
        "charts": figures.programme_charts(snapshot=status.snapshot, programme=programme),
        "figures": selectors.funder_report(programme=programme),
    }
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


def _academic_year_start(today: date) -> date:
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def governor_report(request, urn: int):
    """A read-only report on the programme's work in a school over a chosen period, in words,
    tables and charts; printable, and as a PDF."""
    school = school_visible_or_404(request.user, urn)
    today = timezone.localdate()
    form = ReportPeriodForm(
        request.GET or None, initial={"start": _academic_year_start(today), "end": today}
    )
    start, end = _academic_year_start(today), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    programmes = school_programmes_visible_to(request.user, school)
    report = selectors.governor_report(school=school, start=start, end=end, programmes=programmes)
    context = {
        "form": form,
        "report": report,
        "year_groups": [YEAR_GROUP_LABELS[n] for n in report.year_groups],
        "evaluation": figures.school_dashboard_figures(
            school=school,
            comparison_shown=may_see_comparison_school(request.user, school.pk),
            programmes=programmes,
        ),
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
