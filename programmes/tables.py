import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mathsprog.tables import NUMBER, ButtonColumn, DateColumn, PortalTable, ShortListMeta

REMOVE = """<form method="post" action="{% url 'programmes:comparison_remove' record.programme.slug record.school.urn %}">{% csrf_token %}<button class="btn btn-sm btn-outline-danger" type="submit">Remove<span class="visually-hidden"> {{ record.school.name }}</span></button></form>"""  # noqa: E501


class ProgrammeTable(PortalTable):
    """The page shows when a programme runs in words; the download has its first and last
    days as dates."""

    name = tables.Column(verbose_name="Programme")
    funder = tables.Column()
    runs = tables.Column(
        accessor="pk", empty_values=(), order_by="start_date", exclude_from_export=True
    )
    start_date = DateColumn(verbose_name="From", visible=False)
    end_date = DateColumn(verbose_name="To", visible=False)
    school_count = tables.Column(verbose_name="Schools", attrs=NUMBER)

    row_header = "name"
    caption = "Programmes you can see"

    class Meta(PortalTable.Meta):
        empty_text = "No programmes yet."

    def render_name(self, record, value):
        url = reverse("dashboards:programme", args=[record.slug])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_runs(self, record):
        start, end = date_format(record.start_date, "M Y"), date_format(record.end_date, "M Y")
        return f"{start} to {end}"


class ComparisonSchoolTable(PortalTable):
    school = tables.Column(accessor="school__name", verbose_name="School")
    urn = tables.Column(accessor="school__urn", verbose_name="URN", visible=False)
    local_authority = tables.Column(
        accessor="school__local_authority__name", verbose_name="Local authority"
    )
    remove = ButtonColumn(
        REMOVE,
        header="Actions",
        attrs={"td": {"class": "text-end"}},
    )

    row_header = "school"
    caption = "Comparison schools"

    class Meta(ShortListMeta):
        empty_text = "No comparison schools."

    def render_school(self, record, value):
        return format_html(
            '{} <small class="text-body-secondary">URN {}</small>', value, record.school.urn
        )


NOT_TAKEN_UP = mark_safe('<span class="visually-hidden">not taken up</span>–')  # noqa: S308


class StrandColumn(tables.Column):
    """A strand's uptake, school by school: its header links to the strand's page and its
    edit page; the download names the strand."""

    def __init__(self, strand, index: int, slug: str):
        # An accessor the row has: a missing one costs a query a cell (tables2 writes the
        # row's repr, and so each enrolment's, into the error it catches).
        super().__init__(
            accessor="uptakes", verbose_name=strand.name, empty_values=(), orderable=False
        )
        self.strand, self.index, self.slug = strand, index, slug

    @property
    def header(self):
        slug, pk = self.slug, self.strand.pk
        return format_html(
            '<a href="{}">{}</a> <a class="small no-print" href="{}">edit'
            '<span class="visually-hidden"> {}</span></a>',
            reverse("programmes:strand_uptake", args=[slug, pk]),
            self.strand.name,
            reverse("programmes:strand_edit", args=[slug, pk]),
            self.strand.name,
        )

    def value(self, record):
        uptake = record.uptakes[self.index]
        if not uptake:
            return "–"
        return "✓ continued" if uptake.continued_after_programme else "✓"

    def render(self, record):
        if not record.uptakes[self.index]:
            return NOT_TAKEN_UP
        return self.value(record)


class StrandUptakeTable(PortalTable):
    school = tables.Column(accessor="enrolment__school__name")

    row_header = "school"
    caption = "Uptake of each strand, school by school"

    class Meta(PortalTable.Meta):
        attrs = {"class": "table table-sm table-striped bg-white align-middle"}
        orderable = False

    def __init__(self, rows, *, strands, programme, **kwargs):
        columns = [
            (f"strand_{strand.pk}", StrandColumn(strand, index, programme.slug))
            for index, strand in enumerate(strands)
        ]
        super().__init__(rows, extra_columns=columns, **kwargs)
