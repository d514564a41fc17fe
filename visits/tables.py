import django_tables2 as tables
from django.template.defaultfilters import floatformat, pluralize
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html

from mathsprog.tables import DateColumn, PortalTable, ShortListMeta


class VisitTable(PortalTable):
    """The page shows each visit's date, school, SLE, kind and length; the download adds the
    school's URN and the programme."""

    visit_date = DateColumn(verbose_name="Date", format="j M Y")
    school = tables.Column(accessor="school__name", verbose_name="School")
    urn = tables.Column(accessor="school__urn", verbose_name="URN", visible=False)
    programme = tables.Column(accessor="programme__name", verbose_name="Programme", visible=False)
    sle = tables.Column(verbose_name="SLE", order_by=("sle__full_name", "sle__email"))
    kind = tables.Column()
    days = tables.Column(verbose_name="Length")

    caption = "Records of visit"
    page_size = 50

    class Meta(PortalTable.Meta):
        empty_text = "No records yet."

    def render_visit_date(self, record, value):
        url = reverse("visits:detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, date_format(value, "j M Y"))

    def render_days(self, value):
        return f"{floatformat(value, '-2')} day{pluralize(value)}"

    def value_sle(self, value):
        return str(value)


class AnswerTable(PortalTable):
    """Every answer to a programme's own questions, one a row (a record's version may differ
    from its neighbour's, so questions are rows, not columns). A rating is its number, for
    summing; its label is in "Answer"."""

    visit_date = DateColumn(accessor="visit__visit_date", verbose_name="Date", format="j M Y")
    record = tables.Column(accessor="visit__pk", verbose_name="Record")
    urn = tables.Column(accessor="visit__school__urn", verbose_name="URN")
    school = tables.Column(accessor="visit__school__name", verbose_name="School")
    programme = tables.Column(accessor="visit__programme__name", verbose_name="Programme")
    version = tables.Column(accessor="visit__form_version__number", verbose_name="Form version")
    question = tables.Column(accessor="question__label", verbose_name="Question")
    answer = tables.Column(accessor="shown", verbose_name="Answer", orderable=False)
    rating = tables.Column(verbose_name="Rating")

    caption = "Answers to the programmes' questions"


class _PlanTable(PortalTable):
    """A part of a school's action plan: each line's description links to its edit page for
    those who may edit the plan."""

    edit_url: str = ""

    Meta = ShortListMeta

    def __init__(self, *args, school, can_edit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.school, self.can_edit = school, can_edit

    def render_description(self, record, value):
        if not self.can_edit:
            return value
        url = reverse(self.edit_url, args=[self.school.urn, record.pk])
        return format_html('<a href="{}">{}</a>', url, value)


class ActionTable(_PlanTable):
    description = tables.Column(verbose_name="Action")
    owner = tables.Column(empty_values=())
    due_date = DateColumn(verbose_name="Due", format="j M Y")
    status = tables.Column()
    raised_at_visit = tables.Column(verbose_name="Raised at")
    latest = tables.Column(verbose_name="Latest from a visit", accessor="pk", empty_values=())

    caption = "Actions"
    edit_url = "visits:action_edit"

    class Meta(_PlanTable.Meta):
        attrs = {"class": "table bg-white align-middle"}
        empty_text = "No actions yet."

    def render_status(self, record):
        return format_html(
            '<span class="status status-{}">{}</span>', record.status_colour, record.status_label
        )

    def value_status(self, record):
        return record.status_label

    def render_owner(self, record):
        account = record.owner_account
        return record.owner or (account.full_name or account.email if account else "–")

    value_owner = render_owner

    def render_raised_at_visit(self, value):
        url = reverse("visits:detail", args=[value.pk])
        return format_html('<a href="{}">{}</a>', url, self.value_raised_at_visit(value))

    def value_raised_at_visit(self, value):
        return f"Visit, {date_format(value.visit_date, 'j M Y')}"

    def value_latest(self, record):
        update = next(iter(record.updates.all()), None)
        if update is None:
            return "–"
        progress = update.get_progress_display()
        return f"{progress}: {update.comment}" if update.comment else progress

    render_latest = value_latest


class RiskTable(_PlanTable):
    description = tables.Column(verbose_name="Risk")
    mitigation = tables.Column()
    is_open = tables.Column(verbose_name="Still a risk?")

    caption = "Risks and how they are mitigated"
    edit_url = "visits:risk_edit"

    class Meta(_PlanTable.Meta):
        empty_text = "No risks recorded."

    def render_is_open(self, value):
        return "Yes" if value else "No"

    value_is_open = render_is_open
