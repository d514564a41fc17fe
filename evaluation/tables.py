import django_tables2 as tables
from django.template.defaultfilters import capfirst
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from mathsprog.tables import NUMBER, ButtonColumn, DateTimeColumn, PortalTable, ShortListMeta

RETRY = """<form method="post" action="{% url 'evaluation:report_retry' record.programme.slug %}" class="no-print">{% csrf_token %}<input type="hidden" name="back" value="failures">
        <button class="btn btn-sm btn-outline-primary" type="submit">Retry<span class="visually-hidden"> the report of {{ record.programme.name }}</span></button></form>"""  # noqa: E501


def _noted(text, note: str):
    """A cell's text with a smaller note under it, as the lists show who and where."""
    if not note:
        return text
    return format_html('{}<br><small class="text-body-secondary">{}</small>', text, note)


class UploadTable(PortalTable):
    """The page shows an upload's school under its file and who uploaded it under when; the
    download has a column for each."""

    file_name = tables.Column(verbose_name="File")
    school = tables.Column(accessor="school__name", verbose_name="School", visible=False)
    assessment = tables.Column(accessor="pk", empty_values=())
    uploaded_at = DateTimeColumn(verbose_name="Uploaded")
    uploaded_by = tables.Column(verbose_name="By", default="a former user", visible=False)
    status = tables.Column()
    rows = tables.Column(attrs=NUMBER)

    row_header = "file_name"
    caption = "Uploads of assessment data"

    class Meta(PortalTable.Meta):
        orderable = False
        empty_text = "No uploads yet."

    def render_file_name(self, record, value):
        link = format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)
        return _noted(link, record.school.name if record.school else "")

    def value_assessment(self, record):
        return f"{record.window.programme.name}: {record.window.name}"

    render_assessment = value_assessment

    def render_uploaded_at(self, record, value):
        when = date_format(localtime(value), "j M Y H:i")
        return _noted(when, str(record.uploaded_by or "a former user"))

    def render_status(self, record, value):
        if record.is_working and record.queue_failed_at:
            return _noted(value, "not yet on the task queue")
        if record.restarts:
            note = f"queued again after its worker stopped (attempt {record.restarts + 1})"
            return _noted(value, note)
        return value


class UploadProblemTable(PortalTable):
    row = tables.Column(empty_values=(None, "", 0))  # row 0: the file as a whole
    column = tables.Column(default="")
    value = tables.Column(default="")
    reason = tables.Column(verbose_name="Problem")

    caption_hidden = False

    Meta = ShortListMeta

    def render_reason(self, value):
        return capfirst(value)

    value_reason = render_reason


def _total(name: str):
    return lambda table: table.totals[name]


class UploadSummaryTable(PortalTable):
    """What an upload changes (or changed), school by school, with the totals."""

    name = tables.Column(verbose_name="School", footer="Total")
    urn = tables.Column(verbose_name="URN", visible=False)
    rows = tables.Column(attrs=NUMBER, footer=_total("rows"))
    new_pupils = tables.Column(attrs=NUMBER, footer=_total("new_pupils"))
    created = tables.Column(verbose_name="New results", attrs=NUMBER, footer=_total("created"))
    updated = tables.Column(attrs=NUMBER, footer=_total("updated"))
    unchanged = tables.Column(attrs=NUMBER, footer=_total("unchanged"))

    row_header = "name"
    caption = "What the upload changes, school by school"

    Meta = ShortListMeta

    def __init__(self, summary: dict, **kwargs):
        super().__init__(summary.get("schools", []), **kwargs)
        self.totals = summary.get("totals", {})

    def render_name(self, record, value):
        return format_html('{} <small class="text-body-secondary">{}</small>', value, record["urn"])


class ReportFailureTable(PortalTable):
    programme = tables.Column(accessor="programme__name", verbose_name="Programme")
    failed_at = DateTimeColumn(verbose_name="Failed", format="j M Y H:i")
    data_version = tables.Column(attrs=NUMBER)
    attempts = tables.Column(attrs=NUMBER)
    error = tables.Column()
    retry = ButtonColumn(
        RETRY,
        header="Retry",
    )

    row_header = "programme"
    caption = "Reports that could not be brought up to date"

    class Meta(ShortListMeta):
        empty_text = "No failed reports: every programme's report is up to date or being computed."

    def render_programme(self, record, value):
        url = reverse("dashboards:programme", args=[record.programme.slug])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_data_version(self, record, value):
        now = record.programme.data_version
        if now <= value:
            return value
        note = f"(now {now}: being computed)"
        return format_html('{} <small class="text-body-secondary">{}</small>', value, note)

    def render_error(self, value):
        return format_html('<code class="text-break">{}</code>', value)
