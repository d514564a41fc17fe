from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from accounts.access import programme_led_or_404
from accounts.audit import audit
from accounts.models import AuditAction
from evaluation import selectors as evaluation_selectors

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
        "threshold": settings.SUPPRESSION_THRESHOLD,
    }
    if request.GET.get("format") != "pdf":
        return render(request, "programmes/funder_report.html", context)
    from weasyprint import CSS, HTML

    audit(
        request.user,
        AuditAction.EXPORTED,
        f"Funder report of {programme} (PDF)",
        programme=programme,
    )
    html = render_to_string("programmes/funder_report_pdf.html", context, request=request)
    sheets = [
        CSS(filename=finders.find(name))
        for name in ("vendor/bootstrap/bootstrap.min.css", "css/mathsprog.css", "css/print.css")
    ]
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=sheets)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="funder-report-{programme.slug}.pdf"'
    return response
