"""Every list's download holds typed cells: numbers as numbers and dates as real dates when
read back from Excel. (No list here holds pupil figures, so none has figures to withhold: the
dashboards' tables, which do, are tested in tests/dashboards/. The withholding itself is tested
in tests/test_tables.py.)"""

from datetime import UTC, date, datetime
from importlib import import_module

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from evaluation import services
from evaluation.models import ReportFailure
from schools.models import SchoolRegisterImport
from visits.models import Action

from .downloads import xlsx_rows
from .factories import (
    EventFactory,
    RecordOfVisitFactory,
    StaffMemberFactory,
    WorkGroupFactory,
)

MIDNIGHT = datetime.min.time()


def _row(rows: list[tuple], first) -> dict:
    """The row whose first cell is `first`, by the header's names."""
    header = rows[0]
    return dict(zip(header, next(row for row in rows[1:] if row[0] == first), strict=True))


def test_the_schools_list_downloads_numbers_and_words(client, world):
    client.force_login(world.admin)
    row = _row(xlsx_rows(client, reverse("schools:list"), "schools"), world.school_a.urn)
    assert row["School"] == world.school_a.name
    assert isinstance(row["On roll"], int)
    assert row["FSM"] == 20.0
    assert row["Open"] == "yes"


def test_the_staff_and_register_import_lists_download_dates(client, world):
    StaffMemberFactory(school=world.school_a, full_name="Ada Lovelace")
    client.force_login(world.admin)
    url = reverse("schools:staff", args=[world.school_a.urn])
    row = _row(xlsx_rows(client, url, "current-staff"), "Ada Lovelace")
    assert row == {"Name": "Ada Lovelace", "Role": "Class teacher, Year 1",
                   "From": datetime(2020, 9, 1), "To": "–"}  # fmt: skip
    SchoolRegisterImport.objects.create(file_name="gias.csv", content=b"")
    rows = xlsx_rows(client, reverse("schools:register_import_new"), "register-imports")
    row = _row(rows, "gias.csv")
    assert isinstance(row["Uploaded"], datetime)
    assert row["By"] == "a former user"


def test_the_visit_list_and_action_plan_download_dates_and_days(client, world):
    visit = RecordOfVisitFactory(programme=world.programme, school=world.school_a, sle=world.sle)
    Action.objects.create(
        school=world.school_a, description="Daily fluency", due_date=date(2026, 1, 9),
        raised_at_visit=visit,
    )  # fmt: skip
    client.force_login(world.hub_lead)
    row = _row(xlsx_rows(client, reverse("visits:list"), "visits"), datetime(2025, 10, 1))
    assert row["URN"] == world.school_a.urn
    assert row["Length"] == 0.5
    assert row["Programme"] == world.programme.name
    url = reverse("visits:action_plan", args=[world.school_a.urn])
    row = _row(xlsx_rows(client, url, "actions"), "Daily fluency")
    assert row["Due"] == datetime(2026, 1, 9)
    assert row["Raised at"] == "Visit, 1 Oct 2025"
    assert row["Latest from a visit"] == "–"


def test_the_programme_lists_download_dates_and_counts(client, world):
    client.force_login(world.admin)
    row = _row(xlsx_rows(client, reverse("programmes:list"), "programmes"), world.programme.name)
    assert row["From"] == datetime.combine(world.programme.start_date, MIDNIGHT)
    assert row["Schools"] == 1
    world.programme.comparison_schools.create(school=world.school_b)
    url = reverse("programmes:comparison", args=[world.programme.slug])
    row = _row(xlsx_rows(client, url, "comparison-schools"), world.school_b.name)
    assert row["URN"] == world.school_b.urn
    assert "Actions" not in str(row)
    strand = world.programme.strands.create(name="Mastery lesson design")
    strand.uptakes.create(school=world.school_a, continued_after_programme=True)
    url = reverse("programmes:strands", args=[world.programme.slug])
    rows = xlsx_rows(client, url, "strand-uptake")
    assert rows == [("School", "Mastery lesson design"), (world.school_a.name, "✓ continued")]


def test_the_work_group_lists_download_counts_and_moments(client, world):
    work_group = WorkGroupFactory(programme=world.programme, name="Reasoning group")
    work_group.schools.add(world.school_a)
    work_group.participants.create(staff_member=StaffMemberFactory(full_name="Grace Hopper"))
    EventFactory(programme=world.programme, title="Launch", work_group=work_group)
    client.force_login(world.hub_lead)
    slug = world.programme.slug
    row = _row(xlsx_rows(client, reverse("workgroups:list", args=[slug]), "work-groups"),
               "Reasoning group")  # fmt: skip
    assert row["Schools"] == 1
    assert row["Year"] == "2025/26"
    row = _row(xlsx_rows(client, reverse("workgroups:events", args=[slug]), "events"), "Launch")
    assert row["When"] == datetime(2025, 10, 1, 10)  # 9:00 UTC is 10:00 in London (BST)
    assert row["Present"] == 0
    assert row["Work group"] == "Reasoning group"
    url = reverse("workgroups:detail", args=[slug, work_group.pk])
    assert xlsx_rows(client, url, "participants")[1][:2] == ("Grace Hopper", "Participant")


def test_the_evaluation_lists_download_moments_and_counts(client, world, window):
    services.upload_store(
        uploaded_by=None,
        window=window,
        school=world.school_a,
        file=ContentFile(b"UPN,URN\r\n", name="r.csv"),
    )
    ReportFailure.objects.create(
        programme=world.programme, data_version=3, error="=boom", attempts=4,
        failed_at=datetime(2025, 11, 1, 12, tzinfo=UTC),
    )  # fmt: skip
    client.force_login(world.admin)
    row = _row(xlsx_rows(client, reverse("evaluation:uploads"), "uploads"), "r.csv")
    assert isinstance(row["Uploaded"], datetime)
    assert isinstance(row["Rows"], int)
    assert row["School"] == world.school_a.name
    rows = xlsx_rows(client, reverse("evaluation:report_failures"), "report-failures")
    row = _row(rows, world.programme.name)
    assert row["Failed"] == datetime(2025, 11, 1, 12)
    assert (row["Data version"], row["Attempts"], row["Error"]) == (3, 4, "'=boom")


def test_the_enrolment_list_downloads_urns_and_days_as_numbers(client, world):
    world.school_a.name = "=cmd|' /C calc'!A0"
    world.school_a.save()
    RecordOfVisitFactory(programme=world.programme, school=world.school_a)
    client.force_login(world.hub_lead)
    url = reverse("dashboards:enrolments", args=[world.programme.slug])
    page = client.get(url).content.decode()
    assert f"URN {world.school_a.urn}" in page
    assert "0.50 / 4" in page  # as the page showed it before it was a table
    row = _row(xlsx_rows(client, url, "schools"), world.school_a.urn)
    assert row["School"] == "'=cmd|' /C calc'!A0"
    assert (row["SLE days allocated"], row["SLE days used"]) == (4, 0.5)
    assert isinstance(row["Funding allocated (£)"], int | float)
    assert "SLE days used / allocated" not in row


def test_the_register_and_catch_up_lists_download_urns_and_dates(client, world):
    StaffMemberFactory(school=world.school_a, full_name="=Ada")
    event = EventFactory(programme=world.programme)
    client.force_login(world.hub_lead)
    slug = world.programme.slug
    rows = xlsx_rows(client, reverse("workgroups:event", args=[slug, event.pk]), "register")
    row = _row(rows, "'=Ada")
    assert (row["URN"], row["Attendance"]) == (world.school_a.urn, "not taken")
    url = reverse("workgroups:cpd_coverage", args=[slug])
    assert "Class teacher, Year 1" in client.get(url).content.decode()  # the page's role
    rows = xlsx_rows(client, url, "catch-up-cpd")
    row = _row(rows, "'=Ada")
    assert row == {"Name": "'=Ada", "Role": "Class teacher", "School": world.school_a.name,
                   "URN": world.school_a.urn, "Started": datetime(2020, 9, 1)}  # fmt: skip


BOOKMARKED = [
    ("dashboards:enrolments", "schools"),
    ("workgroups:event", "register"),
    ("workgroups:cpd_coverage", "catch-up-cpd"),
]


@pytest.mark.parametrize(("name", "table"), BOOKMARKED)
def test_a_bookmarked_download_link_is_sent_on_to_the_table(client, world, name, table):
    """These lists' downloads were ?format=csv alone before they were tables."""
    event = EventFactory(programme=world.programme)
    client.force_login(world.hub_lead)
    args = [world.programme.slug] + ([event.pk] if name == "workgroups:event" else [])
    url = reverse(name, args=args)
    response = client.get(url, {"search": "x", "format": "xlsx"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?search=x&format=xlsx&export={table}"
    assert client.get(response["Location"])["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    assert client.get(url, {"format": "pdf"})["Content-Type"].startswith("text/html")


SORTED_LISTS = [
    ("schools:list", {}, "schools.tables.SchoolTable"),
    ("audit_log", {}, "accounts.tables.AuditEventTable"),
    ("visits:list", {}, "visits.tables.VisitTable"),
    ("programmes:list", {}, "programmes.tables.ProgrammeTable"),
    ("workgroups:list", {"slug"}, "workgroups.tables.WorkGroupTable"),
    ("workgroups:events", {"slug"}, "workgroups.tables.EventTable"),
    ("dashboards:enrolments", {"slug"}, "dashboards.tables.delivery.EnrolmentTable"),
]


@pytest.mark.parametrize(("name", "needs", "table"), SORTED_LISTS)
def test_every_sortable_column_sorts_the_page_and_the_download(client, world, name, needs, table):
    RecordOfVisitFactory(programme=world.programme, school=world.school_a, sle=world.sle)
    WorkGroupFactory(programme=world.programme)
    EventFactory(programme=world.programme)
    client.force_login(world.admin)
    url = reverse(name, args=[world.programme.slug] if needs else [])
    module, _, cls = table.rpartition(".")
    columns = getattr(import_module(module), cls).base_columns
    for column in [key for key, column in columns.items() if column.orderable is not False]:
        for order in (column, f"-{column}"):
            assert client.get(url, {"sort": order}).status_code == 200, order
