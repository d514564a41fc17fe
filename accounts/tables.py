import django_tables2 as tables

from mathsprog.tables import DateTimeColumn, PortalTable

from .audit import person_name, sentence
from .models import AuditEvent


def _place(event: AuditEvent) -> str:
    where = event.school or event.programme
    return where.name if where else ""


class AuditEventTable(PortalTable):
    """One sentence an event; the hashes and ids in its details stay in the database, for the
    one who needs to match an event to a file."""

    at = DateTimeColumn(verbose_name="When", format="j M Y H:i:s")
    who = tables.Column(verbose_name="Who", accessor="pk", empty_values=(), order_by="actor_name")
    what = tables.Column(verbose_name="What happened", accessor="pk", empty_values=(),
                         orderable=False)  # fmt: skip
    action = tables.Column(verbose_name="Kind")
    where = tables.Column(verbose_name="Where", accessor="pk", empty_values=(), orderable=False)

    caption = "Audit log"
    page_size = 100

    class Meta(PortalTable.Meta):
        model = AuditEvent
        fields = ()
        empty_text = "Nothing recorded yet."

    def render_who(self, record):
        return person_name(record)

    def value_who(self, record):
        return person_name(record)

    def render_what(self, record):
        return sentence(record)

    def value_what(self, record):
        return sentence(record)

    def render_where(self, record):
        return _place(record) or "–"

    def value_where(self, record):
        return _place(record)
