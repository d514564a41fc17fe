"""Lists on django-tables2: one table class per list gives its columns, sorting, pagination
and download. A download is built from the table's data, not from the rendered page, so it
holds every row of the list (filtered and sorted as on screen, not one page of it) and keeps
numbers as numbers and dates as dates. The one way to answer a download request is
accounts.downloads.table_download, which also records downloads of pupil figures in the
audit log (mathsprog imports no app, so the audit lives there)."""

import itertools

from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.html import format_html
from django_tables2 import Table, columns
from django_tables2.rows import BoundRow
from django_tables2.tables import TableOptions

from .exports import csv_response, xlsx_response

FORMATS = {"csv": csv_response, "xlsx": xlsx_response}
# A download is read from the database in chunks, however long the list.
CHUNK = 2000


class DateColumn(columns.DateColumn):
    """Shown as a date on the page; downloaded as the date itself, which Excel keeps as one."""

    def value(self, value):
        return value


class DateTimeColumn(columns.DateTimeColumn):
    """Shown as a moment on the page; downloaded as the moment itself."""

    def value(self, value):
        return value


# Attributes of a column of numbers: right-aligned, header and footer too.
NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end"}, "tf": {"class": "text-end"}}


class ButtonColumn(columns.TemplateColumn):
    """A form with one button a row (remove, retry): on the page only, never in a download,
    under a header that only screen readers read."""

    def __init__(self, template_code: str, *, header: str, **kwargs):
        super().__init__(
            template_code,
            accessor="pk",  # see PortalTable: an accessor every row has
            verbose_name=format_html('<span class="visually-hidden">{}</span>', header),
            orderable=False,
            exclude_from_export=True,
            **kwargs,
        )


class PortalTable(Table):
    """The portal's tables: Bootstrap 5, inside a scroll region that the keyboard can reach
    (templates/_table.html), with a caption for screen readers. `row_header` names the
    column whose cells head their rows (<th scope="row">), as the pages' tables do; None
    when no column does. A download holds each column's value (value_<name> where the table
    has one), never what render_<name> shows. A figure that is withheld is None in the data
    and shows the column's `default`, which the download writes too, so the file withholds
    what the page does. A column worked out from the whole row names an accessor the row has
    (accessor="pk"): for one it lacks, tables2 writes the row's repr into an error it catches,
    and a model's repr may query the database, cell by cell."""

    row_header: str | None = None
    caption: str = ""
    caption_hidden = True  # False where the caption says something everyone should read
    page_size: int | None = None  # rows a page; None: the whole list on one page
    download: str | None = None  # the name the page's download links ask for

    class Meta:
        template_name = "_table.html"
        attrs = {"class": "table table-striped bg-white"}
        default = "–"

    def __init_subclass__(cls, **kwargs):
        # django-tables2 reads only a table's own Meta: a table with none, or with one of its
        # own, would silently lose the portal's template, styles and empty-cell words. Its
        # options are read again from its nearest Meta over the portal's.
        super().__init_subclass__(**kwargs)
        meta = next(k.__dict__["Meta"] for k in cls.__mro__ if "Meta" in k.__dict__)
        if not issubclass(meta, PortalTable.Meta):
            meta = type("Meta", (meta, PortalTable.Meta), {})
        cls._meta = TableOptions(meta, cls.__name__)

    def __init__(self, *args, caption: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if caption is not None:
            self.caption = caption
        # django-tables2 downloads what render_<name> shows (links, markup, formatted dates)
        # when a table has no value_<name>; a download here holds the column's own value.
        for column in self.columns.iterall():
            if not hasattr(self, f"value_{column.name}"):
                column.value = column.column.value


def _records(table: Table):
    data = table.data.data  # as filtered and sorted for the page
    return data.iterator(chunk_size=CHUNK) if isinstance(data, QuerySet) else iter(data)


def _cell(row: BoundRow, column) -> object:
    value = row.get_cell_value(column.name)
    return column.default if value is None else value


def table_rows(table: Table) -> tuple[list[str], object]:
    """The header (the columns' names) and every row of `table` as typed values: each
    column's `value` (the raw value unless the table says otherwise), withheld or empty
    cells as the words the page shows; then the footer (totals), if the table has one."""
    wanted = [c for c in table.columns.iterall() if not c.column.exclude_from_export]
    # Each column's plain name: a page's header may hold links (a strand's, say).
    header = [str(column.verbose_name) for column in wanted]
    rows = (
        [_cell(BoundRow(record, table=table), column) for column in wanted]
        for record in _records(table)
    )
    if table.has_footer():
        footer = [[column.footer for column in wanted]]  # totals, as the page shows them
        return header, itertools.chain(rows, footer)
    return header, rows


def table_file(table: Table, *, name: str, kind: str) -> HttpResponse:
    """The whole table as a CSV or XLSX file (kind "csv" or "xlsx")."""
    header, rows = table_rows(table)
    return FORMATS[kind](f"{name}.{kind}", header, rows)


def download_wanted(request, name: str) -> str | None:
    """The format (csv, xlsx) when the request asks for the table called `name`, else None."""
    kind = request.GET.get("format")
    if request.GET.get("export") == name and kind in FORMATS:
        return kind
    return None


def bookmarked_download(request, name: str) -> HttpResponseRedirect | None:
    """A link to a list's download from before the lists were tables (?format=csv, no
    ?export=), which users may have bookmarked: sent on to the download of the table `name`."""
    if "export" in request.GET or request.GET.get("format") not in FORMATS:
        return None
    query = request.GET.copy()
    query["export"] = name
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")


class ShortListMeta(PortalTable.Meta):
    """A short list in a page's own order (a school's staff, an upload's problems): plain
    rows, no sort links."""

    attrs = {"class": "table bg-white"}
    orderable = False
