"""The one way a list answers a download: every view with a table calls table_download. It
lives on the ground floor, beside the audit log, so every app can reach it and a download of
pupil figures is recorded as it is made (mathsprog, which writes the file, imports no app)."""

from django.http import HttpResponse
from django_tables2 import RequestConfig

from mathsprog.tables import PortalTable, bookmarked_download, download_wanted, table_file

from .audit import audit
from .models import AuditAction


def table_download(
    request,
    table: PortalTable,
    *,
    name: str,
    audit_subject: str | None = None,
    programme=None,
    school=None,
    bookmarked: bool = False,
) -> HttpResponse | None:
    """The file when the request asks for this table (?export=<name>&format=csv|xlsx): every
    row, sorted as the page sorts it. Otherwise None, with the table made ready for the page:
    sorted, cut into pages of `table.page_size` rows (if it has pages), and its download
    links naming `name`. A table of pupil figures gives `audit_subject` (and the programme or
    school it is about): each of its downloads is then recorded in the audit log. A list
    whose download was once asked for by ?format= alone says `bookmarked`: such a link is
    sent on to its download."""
    if bookmarked and (redirect := bookmarked_download(request, name)):
        return redirect
    kind = download_wanted(request, name)
    if kind is None:
        paginate = {"per_page": table.page_size} if table.page_size else False
        RequestConfig(request, paginate=paginate).configure(table)
        table.download = name
        return None
    RequestConfig(request, paginate=False).configure(table)
    if audit_subject:
        audit(
            request.user,
            AuditAction.EXPORTED,
            audit_subject,
            programme=programme,
            school=school,
            table=name,
            format=kind,
        )
    return table_file(table, name=name, kind=kind)
