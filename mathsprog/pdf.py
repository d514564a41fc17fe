from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

# The print look of the portal, applied to every PDF (charts are left out: their figures are
# in the tables).
STYLESHEETS = ("vendor/bootstrap/bootstrap.min.css", "css/mathsprog.css", "css/print.css")


@cache
def stylesheets() -> tuple:
    """The stylesheets, parsed once a process: parsing Bootstrap took half of each PDF's time
    (about 0.2 s of 0.4 s for a governor report), and the files change only with a release."""
    from weasyprint import CSS

    return tuple(CSS(filename=finders.find(name)) for name in STYLESHEETS)


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    """A report page as a PDF download, drawn by WeasyPrint from the same templates."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=stylesheets()
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
