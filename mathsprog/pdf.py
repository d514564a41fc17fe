from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

# The print look of the portal, applied to every PDF (charts are left out: their figures are
# in the tables).
STYLESHEETS = ("vendor/bootstrap/bootstrap.min.css", "css/mathsprog.css", "css/print.css")


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    """A report page as a PDF download, drawn by WeasyPrint from the same templates."""
    from weasyprint import CSS, HTML

    html = render_to_string(template, context, request=request)
    sheets = [CSS(filename=finders.find(name)) for name in STYLESHEETS]
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=sheets)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
