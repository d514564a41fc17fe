"""The lists' one table and download path (mathsprog.tables, accounts.downloads): the file
holds every row, sorted as the page, with typed cells, withheld figures in words and text that
cannot run as a formula; downloads of pupil figures are audited."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import django_tables2 as tables
import pytest
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from accounts.audit import audit
from accounts.downloads import table_download
from accounts.models import AuditAction, AuditEvent
from mathsprog.tables import DateColumn, DateTimeColumn, PortalTable

WITHHELD = "fewer than 5 pupils"
LONDON = ZoneInfo("Europe/London")


class FigureTable(PortalTable):
    school = tables.Column(verbose_name="School")
    pupils = tables.Column(verbose_name="Pupils")
    score = tables.Column(verbose_name="Mean score", default=WITHHELD)
    assessed = DateColumn(verbose_name="Assessed", format="j M Y")
    computed = DateTimeColumn(verbose_name="Computed", format="j M Y H:i")

    row_header = "school"
    caption = "Figures of each school"
    page_size = 2


def test_a_table_keeps_the_portals_template_and_words_whatever_meta_it_has():
    class Own(FigureTable):
        class Meta:
            empty_text = "Nothing yet."

    assert FigureTable._meta.template_name == Own._meta.template_name == "_table.html"
    assert Own._meta.default == "–"
    assert Own._meta.empty_text == "Nothing yet."


def _rows() -> list[dict]:
    moment = datetime(2025, 7, 1, 9, 30, tzinfo=LONDON)
    return [
        {"school": "=cmd|' /C calc'!A0", "pupils": 30, "score": 101.5,
         "assessed": date(2025, 6, 30), "computed": moment},
        {"school": "Small Primary", "pupils": 3, "score": None,
         "assessed": date(2025, 6, 20), "computed": moment},
        {"school": "Ash Primary", "pupils": 12, "score": -1.25,
         "assessed": date(2025, 6, 10), "computed": moment},
    ]  # fmt: skip


def _ask(query: str, user=None, **audit):
    request = RequestFactory().get("/figures/", {k: v for k, v in query} if query else {})
    request.user = user
    table = FigureTable(_rows())
    return table, table_download(request, table, name="figures", **audit), request


def _sheet(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_it_downloads_numbers_as_numbers_and_dates_as_dates_in_excel():
    _, response, _ = _ask([("export", "figures"), ("format", "xlsx")])
    rows = _sheet(response)
    assert rows[0] == ("School", "Pupils", "Mean score", "Assessed", "Computed")
    first = rows[1]
    assert first[0] == "'=cmd|' /C calc'!A0"
    assert isinstance(first[1], int)
    assert first[1] == 30
    assert isinstance(first[2], float)
    assert first[2] == 101.5
    assert first[3] == datetime(2025, 6, 30)  # Excel keeps dates as moments at midnight
    assert first[4] == datetime(2025, 7, 1, 9, 30)  # London's clock
    assert rows[3][2] == -1.25  # a negative number is a number, not a neutralised text


def test_a_withheld_figure_is_written_in_the_pages_words_never_as_a_number():
    table, _, request = _ask([])
    html = table.as_html(request)  # the first page: two rows
    assert WITHHELD in html
    _, response, _ = _ask([("export", "figures"), ("format", "xlsx")])
    assert _sheet(response)[2][:3] == ("Small Primary", 3, WITHHELD)
    _, response, _ = _ask([("export", "figures"), ("format", "csv")])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[2][:3] == ["Small Primary", "3", WITHHELD]


def test_it_writes_csv_with_iso_dates_and_neutralised_text():
    _, response, _ = _ask([("export", "figures"), ("format", "csv")])
    assert response["Content-Disposition"] == 'attachment; filename="figures.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "30", "101.5", "2025-06-30",
                       "2025-07-01T09:30:00+01:00"]  # fmt: skip
    assert rows[3][2] == "-1.25"


def test_the_download_holds_every_row_sorted_as_the_page_and_the_page_holds_one_page():
    table, page, request = _ask([("sort", "-pupils")])
    assert page is None
    assert table.download == "figures"
    html = table.as_html(request)
    assert "Page 1 of 2" in html
    assert "Ash Primary" in html
    assert "Small Primary" not in html
    assert 'aria-sort="descending"' in html
    assert '<th scope="row"' in html
    assert 'tabindex="0" role="region"' in html
    assert "export=figures&amp;format=xlsx" in html
    assert "sort=-pupils" in html
    _, response, _ = _ask([("sort", "pupils"), ("export", "figures"), ("format", "xlsx")])
    assert [row[1] for row in _sheet(response)[1:]] == [3, 12, 30]


def test_a_request_for_another_table_or_format_gives_the_page():
    assert _ask([("export", "other"), ("format", "csv")])[1] is None
    assert _ask([("export", "figures"), ("format", "pdf")])[1] is None


def test_a_download_of_pupil_figures_is_recorded_in_the_audit_log(world):
    query = [("export", "figures"), ("format", "xlsx")]
    _ask(query, world.hub_lead, audit_subject="Figures of Baseline", programme=world.programme)
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert (event.actor, event.subject, event.programme) == (
        world.hub_lead, "Figures of Baseline", world.programme)  # fmt: skip
    assert event.details == {"table": "figures", "format": "xlsx"}
    _ask(query, world.hub_lead)  # a table without pupil figures is not audited
    _ask([], world.hub_lead, audit_subject="Figures of Baseline")  # nor is the page
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_audit_logs_download_is_filtered_as_the_page_and_typed(client, world, kind):
    audit(world.admin, AuditAction.EXPORTED, "=SUM(1) of Baseline", school=world.school_a)
    audit(world.hub_lead, AuditAction.UPLOADED, "results.csv", details_kept="no")
    client.force_login(world.admin)
    url = reverse("audit_log") + f"?action=exported&export=audit-log&format={kind}"
    response = client.get(url)
    if kind == "xlsx":
        rows = _sheet(response)
        assert isinstance(rows[1][0], datetime)
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["When", "Who", "What happened", "Kind", "Where"]
    assert list(rows[1][1:5]) == [world.admin.full_name,
                                  f"{world.admin.full_name} downloaded the =SUM(1) of Baseline",
                                  "Exported pupil data", world.school_a.name]  # fmt: skip
    assert len(rows) == 2
    page = client.get(reverse("audit_log") + f"?person={world.hub_lead.full_name}").content.decode()
    assert "uploaded results.csv" in page
    assert "details_kept" not in page
    assert "Baseline" not in page
