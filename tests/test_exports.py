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
