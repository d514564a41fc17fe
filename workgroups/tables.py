import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html

from mathsprog.tables import (
    NUMBER,
    ButtonColumn,
    DateColumn,
    DateTimeColumn,
    PortalTable,
    ShortListMeta,
)
from schools.academic_year import academic_year_label
from schools.year_groups import YEAR_GROUP_LABELS

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


class RegisterTable(PortalTable):
    """An event's register, for download only: the page takes the register in a form of its
    own. Rows are the selector's (member of staff, mark) pairs."""

    name = tables.Column("Name", accessor="0__full_name")
    role = tables.Column("Role", accessor="0__get_role_display")
    school = tables.Column("School", accessor="0__school__name")
    urn = tables.Column("URN", accessor="0__school__urn")
    attendance = tables.Column("Attendance", accessor="1", empty_values=())

    class Meta(ShortListMeta):
        pass

    def value_attendance(self, value):
        return {True: "present", False: "absent", None: "not taken"}[value]


class CatchUpCpdTable(PortalTable):
    """Staff who still need the core CPD, in the selector's order (by school). The page shows
    a role with its year group and marks who joined after the launch (`launch`, a date)."""

    full_name = tables.Column("Name")
    role = tables.Column("Role", accessor="get_role_display")
    school = tables.Column("School", accessor="school__name")
    urn = tables.Column("URN", accessor="school__urn", visible=False)
    start_date = DateColumn(verbose_name="Started")

    row_header = "full_name"
    caption = "Staff who still need the core CPD"

    class Meta(ShortListMeta):
        attrs = {"class": "table table-striped bg-white"}
        empty_text = "Everyone has had the core CPD."

    def __init__(self, *args, launch, **kwargs):
        super().__init__(*args, **kwargs)
        self.launch = launch

    def render_role(self, record, value):
        if record.year_group is None:
            return value
        return f"{value}, {YEAR_GROUP_LABELS[record.year_group]}"

    def render_start_date(self, value):
        started = date_format(value, "j M Y")
        if self.launch and value > self.launch:
            badge = '{} <span class="badge text-bg-info">{}</span>'
            return format_html(badge, started, "joined after launch")
        return started
