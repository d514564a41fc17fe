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
    url = reverse("programmes:enrolments", args=[world.programme.slug]) + "?format=xlsx"
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
    url = reverse("programmes:budget", args=[world.programme.slug])
    page = client.get(url).content.decode()
    assert 'data-export="budget"' in page
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
