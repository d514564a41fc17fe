import django_tables2 as tables
from django.utils.html import format_html

from mathsprog.tables import DateTimeColumn, PortalTable

from .models import AuditEvent


def _place(event: AuditEvent) -> str:
    where = event.school or event.programme
    return where.name if where else ""


class AuditEventTable(PortalTable):
    at = DateTimeColumn(verbose_name="When", format="j M Y H:i:s")
    actor_name = tables.Column(verbose_name="Who")
    action = tables.Column(verbose_name="What")
    subject = tables.Column(verbose_name="Subject")
    where = tables.Column(verbose_name="Where", accessor="pk", empty_values=(), orderable=False)
    details = tables.Column(verbose_name="Details", orderable=False)

    caption = "Audit log"
    page_size = 100

    class Meta(PortalTable.Meta):
        model = AuditEvent
        fields = ()
        empty_text = "Nothing recorded yet."

    def render_where(self, record):
        return _place(record) or "–"

    def value_where(self, record):
        return _place(record)

    def value_details(self, value):
        return ", ".join(f"{key}: {item}" for key, item in value.items())

    def render_details(self, value):
        return format_html("<small>{}</small>", self.value_details(value))
