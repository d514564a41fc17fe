from django.shortcuts import render

from accounts.access import programme_led_or_404
from accounts.audit import audit
from accounts.models import AuditAction
from evaluation import selectors as evaluation_selectors
from mathsprog.pdf import pdf_response

from .. import selectors


def funder_report(request, slug: str):
    """The programme's report to its funder: printable, and as a PDF."""
    programme = programme_led_or_404(request.user, slug)
    status = evaluation_selectors.report_status(programme=programme)
    context = {
        "programme": programme,
        "report": status,
        "headlines": evaluation_selectors.programme_headlines(
            snapshot=status.snapshot, programme=programme
        ),
        "charts": evaluation_selectors.programme_charts(
            snapshot=status.snapshot, programme=programme
        ),
        "figures": selectors.funder_report(programme=programme),
    }
    if request.GET.get("format") != "pdf":
        return render(request, "programmes/funder_report.html", context)
    audit(
        request.user,
        AuditAction.EXPORTED,
        f"Funder report of {programme} (PDF)",
        programme=programme,
    )
    return pdf_response(
        request, "programmes/funder_report_pdf.html", context, f"funder-report-{programme.slug}.pdf"
    )
