"""Pages and downloads say which suppression threshold their figures were computed with: the
report's own, which is today's setting once the report is up to date."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import reports
from tests.pdfs import pdf_html


@pytest.fixture
def at_seven(reported, settings):
    """The report computed again with a threshold of 7: the six pupils of school A (all the
    programme has) are too few to show."""
    settings.SUPPRESSION_THRESHOLD = 7
    snapshot = reports.report_compute(programme_id=reported.pk)
    assert snapshot.threshold == 7
    return reported


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_programme_dashboard_states_the_reports_threshold(client, world, at_seven):
    page = _page(client, reverse("dashboards:programme", args=[at_seven.slug]))
    assert "Figures about fewer than 7 pupils are not shown." in page
    assert '<td colspan="6">Fewer than 7 pupils</td>' in page  # the headlines
    assert '<td colspan="4">Fewer than 7 pupils</td>' in page  # the cohort table
    assert "Fewer than 5" not in page


def test_the_funder_report_states_it_on_the_page_and_in_the_pdf(client, at_seven):
    url = reverse("dashboards:funder_report", args=[at_seven.slug])
    for page in (_page(client, url), pdf_html(client, f"{url}?format=pdf")):
        assert "Figures about fewer than 7 pupils are not shown." in page
        assert '<td colspan="6">Fewer than 7 pupils</td>' in page


def test_the_school_dashboard_and_governor_report_state_it(client, world, at_seven):
    client.force_login(world.governor_a)
    governor = reverse("dashboards:governor_report", args=[world.school_a.urn])
    dashboard = reverse("dashboards:school", args=[world.school_a.urn])
    for page in (
        _page(client, dashboard),
        _page(client, governor),
        pdf_html(client, f"{governor}?format=pdf"),
    ):
        assert "Figures about fewer than 7 pupils are not shown." in page
        assert "Fewer than 7 pupils took this assessment" in page


def test_attainment_downloads_end_with_a_note_of_the_threshold(client, at_seven):
    url = reverse("evaluation:report_csv", args=[at_seven.slug])
    rows = list(csv.reader(client.get(url).content.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "Scope"
    assert len(rows[-1]) == 1
    assert rows[-1][0].startswith("Figures about fewer than 7 pupils are withheld")
    assert f"from data version {at_seven.reports.get().data_version})" in rows[-1][0]
    book = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content), read_only=True)
    last = list(book.worksheets[0].iter_rows(values_only=True))[-1]
    assert last[0] == rows[-1][0]


def test_the_json_report_gives_its_threshold(at_seven):
    out = StringIO()
    call_command("evaluation_report", "--programme", at_seven.slug, stdout=out)
    assert json.loads(out.getvalue())["threshold"] == 7


def test_pages_state_their_reports_threshold_until_the_new_one_is_computed(
    client, at_seven, settings
):
    settings.SUPPRESSION_THRESHOLD = 4  # not yet recomputed: no worker has started with it
    page = _page(client, reverse("dashboards:programme", args=[at_seven.slug]))
    assert "Figures about fewer than 7 pupils are not shown." in page
    assert "Updating" in page
    reports.report_compute(programme_id=at_seven.pk)
    page = _page(client, reverse("dashboards:programme", args=[at_seven.slug]))
    assert "Figures about fewer than 4 pupils are not shown." in page
    assert "Updating" not in page
