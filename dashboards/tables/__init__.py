"""The dashboards' tables, each downloadable from the page that shows it: the pupil figures of
the stored report (figures), and the programme's delivery — KPIs, money, schools, visits and
training (delivery)."""

from django.http import HttpResponse

from accounts.downloads import table_download


def tables_download(
    request, tables: dict, *, figures_of: str | None = None, **about
) -> HttpResponse | None:
    """The file of whichever of `tables` (by the names the page's download links give) the
    request asks for; None when it asks for the page. Tables of pupil figures give
    `figures_of` (what they are figures of) and the programme or school (`about`:
    programme=, school=): each of their downloads is recorded in the audit log."""
    for name, table in tables.items():
        subject = f"Figures of {figures_of}: {name}" if figures_of else None
        response = table_download(request, table, name=name, audit_subject=subject, **about)
        if response is not None:
            return response
    return None
