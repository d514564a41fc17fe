"""The tables of a programme's delivery that the dashboards offer for download: its KPIs,
money, cohorts, offer and schools, and a school's visits, actions and training. None holds
pupils' results, so their downloads are not recorded in the audit log. The pages keep their
own markup (figures beside their targets, dates as ranges); a download holds each figure as
a number and each date as a date, with the page's words where a figure is missing."""

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django_tables2 import Column

from mathsprog.tables import NUMBER, DateColumn, PortalTable


class KpiTable(PortalTable):
    name = Column("Indicator")
    target = Column("Target")
    achieved = Column("Achieved", default="not yet recorded")
    achieved_on = DateColumn(verbose_name="Achieved as at")
    percent_of_target = Column("Of target")


def money_rows(*, sle_days, budget) -> list[dict]:
    """The programme's SLE days and money at a glance: a row a figure, with what it is of."""
    return [
        {"figure": "SLE days used", "value": sle_days.used, "of": sle_days.allocated},
        {"figure": "Spent (£)", "value": budget.spent, "of": budget.total},
        {"figure": "Remaining (£)", "value": budget.remaining, "of": None},
    ]


class MoneyTable(PortalTable):
    figure = Column("Figure")
    value = Column("Value")
    of = Column("Of")


class CohortTable(PortalTable):
    name = Column("Cohort")
    start_date = DateColumn(verbose_name="Starts")
    end_date = DateColumn(verbose_name="Ends")
    school_count = Column("Schools")


class AllocationBandTable(PortalTable):
    up_to_pupils = Column("Pupils on roll, up to", default="larger schools")
    sle_days = Column("SLE days")
    funding = Column("Funding")


class LocalAuthorityTable(PortalTable):
    name = Column("Local authority")
    school_count = Column("Schools")


def _total(name: str):
    """A budget table's footer: the budget's own total of `name` (total, spent, remaining)."""
    return lambda table: getattr(table.budget, name)


class BudgetTable(PortalTable):
    """A programme's budget lines, with its totals below them (`budget`: the selector's)."""

    name = Column("Budget line", footer="Total")
    category = Column("Category", accessor="get_category_display")
    amount = Column("Budget", footer=_total("total"))
    spent = Column("Spent", footer=_total("spent"))
    remaining = Column("Remaining", footer=_total("remaining"))

    def __init__(self, budget, **kwargs):
        super().__init__(budget.lines, **kwargs)
        self.budget = budget


class SpendTable(PortalTable):
    spent_on = DateColumn(verbose_name="Date")
    line = Column("Line", accessor="budget_line__name")
    description = Column("What")
    school = Column("School", accessor="school__name")
    amount = Column("Amount")


class EnrolmentTable(PortalTable):
    """A programme's schools with their SLE days and funding. The page shows a school's URN
    and roll under its name, and the days used beside those allocated; the download has a
    column for each figure."""

    urn = Column("URN", accessor="school__urn", visible=False)
    school = Column("School", accessor="school__name")
    local_authority = Column("Local authority", accessor="school__local_authority__name")
    cohort = Column("Cohort", accessor="cohort__name")
    days = Column("SLE days used / allocated", accessor="sle_days_used", attrs=NUMBER,
                  exclude_from_export=True)  # fmt: skip
    funding = Column("Funding", accessor="funding_allocated", attrs=NUMBER,
                     exclude_from_export=True)  # fmt: skip
    sle_days_allocated = Column("SLE days allocated", visible=False)
    sle_days_used = Column("SLE days used", visible=False)
    funding_allocated = Column("Funding allocated (£)", visible=False)

    row_header = "school"
    caption = "Schools"
    page_size = 50

    class Meta(PortalTable.Meta):
        empty_text = "No schools match."

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def render_school(self, record, value):
        url = reverse("programmes:enrolment_edit", args=[self.programme.slug, record.school.urn])
        details = f"URN {record.school.urn}"
        if record.school.number_on_roll:
            details += f" · {record.school.number_on_roll} on roll"
        return format_html(
            '<a href="{}">{}</a><br><small class="text-body-secondary">{}</small>',
            url,
            value,
            details,
        )

    def render_days(self, record):
        used, allocated = record.sle_days_used, record.sle_days_allocated
        badge = '<span class="badge text-bg-warning">{}</span> '
        over = format_html(badge, "Over") if used > allocated else ""
        return format_html("{}{} / {}", over, floatformat(used, "-2"), floatformat(allocated, "-1"))

    def render_funding(self, value):
        return f"£{floatformat(value, '2g')}"


class MySchoolsTable(PortalTable):
    name = Column("School")
    local_authority = Column("Local authority", accessor="local_authority__name")
    urn = Column("URN")
    number_on_roll = Column("On roll")


class CoverageTable(PortalTable):
    """Visits by school and year group: a year group's visits and the last visit's date
    (columns the page's year groups give), then the school's SLE days and next visit."""

    school = Column("School")
    # Schools of one name (there are several Ashburtons in London) are told apart by these.
    urn = Column("URN")
    local_authority = Column("Local authority")


def coverage_table(rows: list[tuple], year_groups: list[str]) -> CoverageTable:
    """`rows`: (coverage row, the school's next visit or None), as the page shows them."""
    columns = []
    for n, year in enumerate(year_groups):
        columns += [(f"visits_{n}", Column(f"{year}: visits")),
                    (f"last_{n}", DateColumn(verbose_name=f"{year}: last visit"))]  # fmt: skip
    columns += [("days_used", Column("SLE days used")),
                ("days_allocated", Column("SLE days allocated")),
                ("due_on", DateColumn(verbose_name="Next visit due")),
                ("overdue", Column("Overdue for a visit"))]  # fmt: skip
    records = []
    for row, due in rows:
        authority = row.school.local_authority
        record = {"school": row.school.name, "urn": row.school.urn,
                  "local_authority": authority.name if authority else None,
                  "days_used": row.days_used,
                  "days_allocated": row.days_allocated, "due_on": due and due.due_on,
                  "overdue": ("Yes" if due.overdue else "No") if due else None}  # fmt: skip
        for n, (count, last) in enumerate(row.cells):
            record |= {f"visits_{n}": count, f"last_{n}": last}
        records.append(record)
    return CoverageTable(records, extra_columns=columns)


class ReportVisitTable(PortalTable):
    visit_date = DateColumn(verbose_name="Date")
    kind = Column("Kind", accessor="get_kind_display")
    focus = Column("Focus", empty_values=())
    strengths = Column("Strengths seen")

    def value_focus(self, record) -> str:
        return ", ".join(area.name for area in record.focus_areas.all())  # prefetched


class ReportActionTable(PortalTable):
    description = Column("Action")
    owner = Column("Owner")
    due_date = DateColumn(verbose_name="Due")
    status = Column("Status", accessor="status_label")  # "Overdue" past its due date


class ReportTrainingTable(PortalTable):
    date = DateColumn(verbose_name="Date")
    title = Column("Session")
    present = Column("Staff present")


def training_rows(events: list) -> list[dict]:
    """The training sessions a school's staff attended ((event, staff present) pairs)."""
    return [
        {"date": timezone.localdate(event.starts_at), "title": event.title, "present": present}
        for event, present in events
    ]


def dashboard_tables(context: dict) -> dict:
    """The programme dashboard's tables of its delivery, from the page's own context."""
    return {
        "kpis": KpiTable(context["kpis"]),
        "money": MoneyTable(money_rows(sle_days=context["sle_days"], budget=context["budget"])),
        "cohorts": CohortTable(context["cohorts"]),
        "allocation-bands": AllocationBandTable(context["bands"]),
        "local-authorities": LocalAuthorityTable(context["local_authorities"]),
    }


def governor_tables(report) -> dict:
    """The governor report's tables of the school's visits, actions and training."""
    return {
        "report-visits": ReportVisitTable(report.visits),
        "report-actions": ReportActionTable(report.actions_raised),
        "report-training": ReportTrainingTable(training_rows(report.events)),
    }


def funder_tables(figures: dict) -> dict:
    """The funder report's tables of the programme's KPIs and budget."""
    return {
        "report-kpis": KpiTable(figures["kpis"]),
        "report-budget": BudgetTable(figures["budget"], exclude=("category",)),
    }
