import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from mathsprog.tables import NUMBER, DateColumn, DateTimeColumn, PortalTable, ShortListMeta

from .models import School, SchoolRegisterImport
from .year_groups import YEAR_GROUP_LABELS


class SchoolTable(PortalTable):
    """The page shows a school's URN, postcode and whether it is open under its name; the
    download has a column for each."""

    urn = tables.Column(verbose_name="URN", visible=False)
    name = tables.Column(verbose_name="School")
    postcode = tables.Column(visible=False)
    local_authority = tables.Column(order_by="local_authority__name")
    phase = tables.Column()
    number_on_roll = tables.Column(verbose_name="On roll", attrs=NUMBER)
    percentage_fsm = tables.Column(verbose_name="FSM", attrs=NUMBER)
    is_open = tables.Column(verbose_name="Open", visible=False)

    row_header = "name"
    caption = "Schools"
    page_size = 50

    class Meta(PortalTable.Meta):
        empty_text = "No schools match."

    def render_name(self, record: School):
        details = f"URN {record.urn}"
        if record.postcode:
            details += f" · {record.postcode}"
        if not record.is_open:
            details += " · closed"
        url = reverse("dashboards:school", args=[record.urn])
        return format_html(
            '<a href="{}">{}</a><br><small class="text-body-secondary">{}</small>',
            url,
            record.name,
            details,
        )

    def render_percentage_fsm(self, value):
        return f"{value}%"

    def value_is_open(self, value):
        return "yes" if value else "no"


class StaffTable(PortalTable):
    full_name = tables.Column(verbose_name="Name")
    role = tables.Column(empty_values=())
    start_date = DateColumn(verbose_name="From", format="j M Y")
    end_date = DateColumn(verbose_name="To", format="j M Y")

    row_header = "full_name"

    class Meta(ShortListMeta):
        empty_text = "None."

    def __init__(self, *args, school: School, can_edit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.school, self.can_edit = school, can_edit

    def render_full_name(self, record, value):
        if not self.can_edit:
            return value
        url = reverse("schools:staff_edit", args=[self.school.urn, record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def value_role(self, record):
        if record.year_group is None:
            return record.get_role_display()
        return f"{record.get_role_display()}, {YEAR_GROUP_LABELS[record.year_group]}"

    render_role = value_role


class RegisterImportTable(PortalTable):
    file_name = tables.Column(verbose_name="File")
    uploaded_at = DateTimeColumn(verbose_name="Uploaded", format="j M Y H:i")
    uploaded_by = tables.Column(verbose_name="By", default="a former user", visible=False)
    status = tables.Column()
    outcome = tables.Column(accessor="pk", empty_values=(), default="")

    row_header = "file_name"
    caption = "Register imports"

    class Meta(ShortListMeta):
        empty_text = "No imports yet."

    def render_file_name(self, record, value):
        url = reverse("schools:register_import", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_uploaded_at(self, record, value):
        by = record.uploaded_by or "a former user"
        return f"{date_format(localtime(value), 'j M Y H:i')} by {by}"

    def value_outcome(self, record: SchoolRegisterImport):
        if record.status == "done":
            return (
                f"created {record.created}, updated {record.updated}, unchanged {record.unchanged}"
            )
        if record.status == "failed":
            return f"{len(record.errors)} row(s) to fix"
        return ""

    render_outcome = value_outcome
