import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from mathsprog.tables import NUMBER, ButtonColumn, DateTimeColumn, PortalTable, ShortListMeta
from schools.academic_year import academic_year_label

REMOVE = """<form method="post" action="{% url 'workgroups:participant_remove' programme.slug record.work_group_id record.pk %}">{% csrf_token %}<button class="btn btn-sm btn-outline-danger" type="submit">Remove<span class="visually-hidden"> {{ record.staff_member.full_name }}</span></button></form>"""  # noqa: E501


class _ProgrammeTable(PortalTable):
    """A list inside one programme, whose links name it."""

    class Meta(PortalTable.Meta):
        pass

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme


class WorkGroupTable(_ProgrammeTable):
    name = tables.Column(verbose_name="Work group")
    type = tables.Column(accessor="type__name", verbose_name="Type")
    academic_year = tables.Column(verbose_name="Year")
    lead = tables.Column(order_by=("lead__full_name", "lead__email"))
    school_count = tables.Column(verbose_name="Schools", attrs=NUMBER)

    row_header = "name"
    caption = "Work groups"

    class Meta(_ProgrammeTable.Meta):
        empty_text = "No work groups match."

    def render_name(self, record, value):
        url = reverse("workgroups:detail", args=[self.programme.slug, record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_academic_year(self, value):
        return academic_year_label(value)

    value_academic_year = render_academic_year

    def value_lead(self, value):
        return str(value)


class EventTable(_ProgrammeTable):
    """The page shows an event's work group under its title; the download has a column."""

    title = tables.Column(verbose_name="Event")
    work_group = tables.Column(
        accessor="work_group__name", verbose_name="Work group", visible=False
    )
    kind = tables.Column()
    starts_at = DateTimeColumn(verbose_name="When", format="D j M Y, H:i")
    venue = tables.Column(default="")
    present = tables.Column(verbose_name="Present", attrs=NUMBER)

    row_header = "title"
    caption = "CPD and events"

    class Meta(_ProgrammeTable.Meta):
        empty_text = "No events match."

    def render_title(self, record, value):
        url = reverse("workgroups:event", args=[self.programme.slug, record.pk])
        link = format_html('<a href="{}">{}</a>', url, value)
        if not record.work_group:
            return link
        return format_html(
            '{}<br><small class="text-body-secondary">{}</small>', link, record.work_group.name
        )

    def value_present(self, record):
        # A parent workshop counts its parents by head, not on a register.
        if record.parent_headcount is not None:
            return record.parent_headcount
        return record.present

    def render_present(self, record):
        if record.parent_headcount is not None:
            return f"{record.parent_headcount} parents"
        return record.present


class ParticipantTable(_ProgrammeTable):
    name = tables.Column(accessor="staff_member__full_name", verbose_name="Name")
    role = tables.Column(verbose_name="Role in the group")
    school = tables.Column(accessor="staff_member__school__name", verbose_name="School")
    remove = ButtonColumn(
        REMOVE,
        header="Actions",
        attrs={"td": {"class": "text-end"}},
    )

    row_header = "name"
    caption = "Participants"

    class Meta(ShortListMeta):
        empty_text = "No participants yet."
