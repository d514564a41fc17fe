"""The dashboards' downloads of a programme's delivery (KPIs, money, cohorts, offer, schools,
budget, spend, coverage, and the reports' visits, actions and training): built from the data,
numbers as numbers and dates as dates in Excel, text that could run as a formula neutralised.
None holds pupils' results, so none is recorded in the audit log."""

import datetime
from datetime import UTC, date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from evaluation.models import Pupil, PupilYear
from programmes.models import AllocationBand
from tests.downloads import csv_rows, xlsx_rows
from tests.factories import (
    BudgetLineFactory,
    EventFactory,
    KpiFactory,
    RecordOfVisitFactory,
    SpendEntryFactory,
    StaffMemberFactory,
)
from workgroups.models import Attendance

FORMULA = "=HYPERLINK(1)"


def _rows(client, url: str, name: str) -> dict:
    """The Excel download of `name` at `url`, as {first cell: {heading: value}}."""
    rows = xlsx_rows(client, url, name)
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


@pytest.fixture
def delivered(world):
    """A programme with a KPI (achieved on a date), a band, a budget line with spend, and a
    school whose name would run as a formula."""
    world.school_a.name = FORMULA
    world.school_a.save()
    KpiFactory(programme=world.programme, name="Schools trained", target=Decimal("10"),
               achieved=Decimal("4"), achieved_on=date(2026, 1, 5))  # fmt: skip
    KpiFactory(programme=world.programme, name="+Teachers", target=Decimal("20"))
    AllocationBand.objects.create(
        programme=world.programme, up_to_pupils=120, sle_days=Decimal(3), funding=Decimal(500)
    )
    line = BudgetLineFactory(programme=world.programme, name="@Supply cover")
    SpendEntryFactory(budget_line=line, school=world.school_a, amount=Decimal("250.50"))
    return world


def test_the_programme_dashboards_tables_download_typed(client, delivered):
    world = delivered
    client.force_login(world.hub_lead)
    url = reverse("dashboards:programme", args=[world.programme.slug])
    page = client.get(url).content.decode()
    for name in ("kpis", "money", "cohorts", "allocation-bands", "local-authorities"):
        assert f"export={name}&amp;format=xlsx" in page
    kpis = _rows(client, url, "kpis")
    assert kpis["Schools trained"]["Target"] == 10
    assert kpis["Schools trained"]["Achieved as at"] == datetime.datetime(2026, 1, 5)
    assert kpis["Schools trained"]["Of target"] == 40
    assert kpis["'+Teachers"]["Achieved"] == "not yet recorded"  # neutralised, page's words
    money = _rows(client, url, "money")
    assert money["Spent (£)"]["Value"] == 250.5
    assert money["Spent (£)"]["Of"] == 1000
    cohort = _rows(client, url, "cohorts")[world.programme.cohorts.get().name]
    assert isinstance(cohort["Starts"], datetime.datetime)
    assert cohort["Schools"] == 1
    band = _rows(client, url, "allocation-bands")[120]
    assert band == {"Pupils on roll, up to": 120, "SLE days": 3, "Funding": 500}
    authority = world.school_a.local_authority.name
    assert _rows(client, url, "local-authorities")[authority]["Schools"] == 1
    assert not AuditEvent.objects.exclude(action=AuditAction.SIGNED_IN).exists()


def test_the_budget_and_spend_download_as_money_and_dates(client, delivered):
    world = delivered
    client.force_login(world.hub_lead)
    url = reverse("dashboards:budget", args=[world.programme.slug])
    budget = _rows(client, url, "budget")
    assert budget["'@Supply cover"]["Spent"] == 250.5
    assert budget["'@Supply cover"]["Remaining"] == 749.5
    assert budget["Total"]["Budget"] == 1000  # the footer's totals, as on the page
    spend = _rows(client, url, "spend")[datetime.datetime(2025, 10, 1)]
    assert spend == {"Date": datetime.datetime(2025, 10, 1), "Line": "'@Supply cover",
                     "What": "Room hire", "School": "'" + FORMULA, "Amount": 250.5}  # fmt: skip
    rows = csv_rows(client, url, "spend")
    assert rows[1][0] == "2025-10-01"


def test_the_funder_reports_kpis_and_budget_download_typed(client, delivered):
    world = delivered
    client.force_login(world.hub_lead)
    url = reverse("dashboards:funder_report", args=[world.programme.slug])
    assert _rows(client, url, "report-kpis")["Schools trained"]["Achieved"] == 4
    budget = xlsx_rows(client, url, "report-budget")
    assert budget[0] == ("Budget line", "Budget", "Spent", "Remaining")
    assert budget[-1] == ("Total", 1000, 250.5, 749.5)


def test_an_sles_schools_and_coverage_download_typed(client, delivered):
    world = delivered
    RecordOfVisitFactory(programme=world.programme, school=world.school_a, sle=world.sle,
                         year_groups=[2], visit_date=date(2025, 11, 5))  # fmt: skip
    # A Reception pupil: a year group of the matrix that no visit covered.
    PupilYear.objects.create(
        pupil=Pupil.objects.create(programme=world.programme, upn_hash="x" * 64),
        programme=world.programme, academic_year=2025, school=world.school_a, year_group=0,
        disadvantaged=False,
    )  # fmt: skip
    client.force_login(world.sle)
    school = _rows(client, reverse("dashboards:mine"), "my-schools")["'" + FORMULA]
    assert school["URN"] == world.school_a.urn
    url = reverse("dashboards:coverage_mine", args=[world.programme.slug])
    coverage = _rows(client, url, "coverage")["'" + FORMULA]
    assert coverage["Year 2: visits"] == 1
    assert coverage["Year 2: last visit"] == datetime.datetime(2025, 11, 5)
    assert coverage["Reception: visits"] == 0
    assert coverage["Reception: last visit"] == "–"
    assert coverage["SLE days used"] == 0.5
    assert coverage["SLE days allocated"] == 4
    assert not AuditEvent.objects.exclude(
        action=AuditAction.SIGNED_IN
    ).exists()  # visits, not pupils' results


def test_the_governor_reports_visits_actions_and_training_download_typed(client, world):
    visit = RecordOfVisitFactory(programme=world.programme, school=world.school_a,
                                 visit_date=date(2025, 10, 8), strengths="-Fluency")  # fmt: skip
    world.school_a.actions.create(description="Plan sessions", raised_at_visit=visit)
    event = EventFactory(
        programme=world.programme, starts_at=datetime.datetime(2025, 9, 17, 9, tzinfo=UTC)
    )
    Attendance.objects.create(
        event=event, staff_member=StaffMemberFactory(school=world.school_a), present=True
    )
    client.force_login(world.governor_a)
    url = reverse("dashboards:governor_report", args=[world.school_a.urn])
    url += "?start=2025-09-01&end=2026-07-31"
    visits = _rows(client, url, "report-visits")[datetime.datetime(2025, 10, 8)]
    assert visits["Strengths seen"] == "'-Fluency"
    assert visits["Kind"] == "Coaching"
    assert _rows(client, url, "report-actions")["Plan sessions"]["Due"] == "–"
    training = _rows(client, url, "report-training")[datetime.datetime(2025, 9, 17)]
    assert training["Staff present"] == 1
