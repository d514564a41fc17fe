import pytest

from mathsprog.exports import neutralise


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("St Mary's", "St Mary's"),
        (104, "104"),
        (None, ""),
    ],
)
def test_it_stops_cells_running_as_formulas(value, cell):
    assert neutralise(value) == cell


def test_excel_exports_hold_the_same_neutralised_table(client, world):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    world.school_a.name = "=cmd|' /C calc'!A0"
    world.school_a.save()
    client.force_login(world.hub_lead)
    url = reverse("dashboards:enrolments", args=[world.programme.slug])
    url += "?export=schools&format=xlsx"
    response = client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("URN", "School", "Local authority")
    assert rows[1][0] == world.school_a.urn
    assert rows[1][1] == "'=cmd|' /C calc'!A0"


def test_every_marked_table_downloads_as_shown(client, world):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from tests.factories import BudgetLineFactory

    BudgetLineFactory(programme=world.programme, name="@SUM(1+1) line")
    client.force_login(world.hub_lead)
    url = reverse("dashboards:budget", args=[world.programme.slug])
    page = client.get(url).content.decode()
    assert "export=budget&amp;format=xlsx" in page
    rows = client.get(url + "?export=budget&format=csv").content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Budget line,Category,Budget,Spent,Remaining"
    assert rows[1].startswith("'@SUM(1+1) line,CPD and events,")
    book = load_workbook(io.BytesIO(client.get(url + "?export=budget&format=xlsx").content))
    assert next(book.worksheets[0].iter_rows(values_only=True))[0] == "Budget line"
    # An unknown table name gives the page itself, and another role gets no table at all.
    assert client.get(url + "?export=nothing&format=csv")["Content-Type"].startswith("text/html")
    client.force_login(world.head_a)
    assert client.get(url + "?export=budget&format=csv").status_code == 404


def _downloaded(client, url: str) -> list[list[str]]:
    import csv

    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(response.content.decode("utf-8-sig").splitlines()))


def test_a_paginated_lists_download_holds_every_row_not_the_page_on_screen(client, world):
    """Lists of schools, visits and audit events show 50 or 100 rows a page; their downloads
    hold the whole list, filtered as on screen and scoped to what the reader may see."""
    from django.urls import reverse

    from accounts.audit import audit
    from accounts.models import AuditAction
    from tests.factories import RecordOfVisitFactory, SchoolFactory

    SchoolFactory.create_batch(55)
    RecordOfVisitFactory.create_batch(
        51, programme=world.programme, school=world.school_a, sle=world.sle
    )
    for n in range(101):
        audit(world.admin, AuditAction.EXPORTED, f"export {n}")

    client.force_login(world.admin)
    schools = _downloaded(client, reverse("schools:list") + "?export=schools&format=csv")
    assert schools[0] == ["URN", "School", "Postcode", "Local authority", "Phase", "On roll",
                          "FSM", "Open"]  # fmt: skip
    assert len(schools) - 1 == 57  # the 55, school A and school B
    url = reverse("schools:list") + "?search=Outside&export=schools&format=csv"
    assert [row[1] for row in _downloaded(client, url)[1:]] == [world.school_b.name]
    url = reverse("audit_log") + "?action=exported&export=audit-log&format=csv"
    events = _downloaded(client, url)
    assert len(events) - 1 == 101
    assert events[1][1:4] == [world.admin.full_name, f"{world.admin.full_name} downloaded the "
                              "export 100", "Exported pupil data"]  # fmt: skip

    client.force_login(world.hub_lead)
    visits = _downloaded(client, reverse("visits:list") + "?export=visits&format=csv")
    assert len(visits) - 1 == 51
    assert visits[1][:3] == ["2025-10-01", world.school_a.name, str(world.school_a.urn)]
    client.force_login(world.head_b)  # another school's headteacher sees none of them
    assert len(_downloaded(client, reverse("visits:list") + "?export=visits&format=csv")) == 1
