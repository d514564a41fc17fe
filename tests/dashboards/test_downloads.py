"""The dashboards' downloads of pupil figures: built from the stored report, numbers kept as
numbers, withheld figures in words at the report's threshold, text that could run as a
formula neutralised, and every download recorded in the audit log."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditEvent
from evaluation import reports


def _sheet(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), response
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def _by_first_cells(rows: list[tuple], width: int = 2) -> dict:
    return {row[:width]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_the_programmes_attainment_keeps_numbers_and_withholds_in_words(
    client,
    world,
    reported,
):
    url = reverse("dashboards:programme", args=[reported.slug])
    rows = _sheet(client.get(f"{url}?export=attainment&format=xlsx"))
    assert rows[0][:3] == ("Assessment", "Schools", "Pupils")
    # The window by its name ("Baseline"), as the page and its chart show it, not its slug.
    programme = _by_first_cells(rows)["Baseline", "Programme"]
    assert programme["Pupils"] == 6
    assert isinstance(programme["Pupils"], int)
    assert isinstance(programme["% expected"], float)
    # Two disadvantaged pupils: their gap is withheld, in the page's words, never a number.
    assert programme["Disadvantaged gap"] == "Fewer than 5 pupils"
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert event.programme_id == reported.pk
    assert event.subject.endswith(": attainment")
    assert event.details["format"] == "xlsx"


@pytest.mark.parametrize("name", ["attainment", "cohort-figures", "chart-attainment"])
def test_every_programme_figure_is_withheld_under_a_higher_threshold(
    client,
    world,
    reported,
    settings,
    name,
):
    settings.SUPPRESSION_THRESHOLD = 10
    reports.report_compute(programme_id=reported.pk)
    url = reverse("dashboards:programme", args=[reported.slug])
    response = client.get(f"{url}?export={name}&format=csv")
    rows = list(csv.reader(response.content.decode("utf-8-sig").splitlines()))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) > 1
    assert not [c for c in cells if c.replace(".", "").lstrip("-").isdigit()]
    assert name == "chart-attainment" or "Fewer than 10 pupils" in cells


def test_a_formula_in_a_name_is_neutralised(client, world, reported, settings):
    world.cohort.name = '=HYPERLINK("http://x")'
    world.cohort.save()
    settings.SUPPRESSION_THRESHOLD = 4  # a report of today's names
    reports.report_compute(programme_id=reported.pk)
    url = reverse("dashboards:programme", args=[reported.slug])
    for kind in ("csv", "xlsx"):
        response = client.get(f"{url}?export=cohort-figures&format={kind}")
        text = response.content.decode("utf-8-sig") if kind == "csv" else str(_sheet(response))
        assert "'=HYPERLINK" in text
        assert ",=HYPERLINK" not in text


def test_the_funder_reports_chart_figures_are_numbers(client, world, reported):
    url = reverse("dashboards:funder_report", args=[reported.slug])
    rows = _sheet(client.get(f"{url}?export=chart-attainment&format=xlsx"))
    assert rows[0] == ("Series", "Baseline")
    everyone = next(row for row in rows if row[0] == "All pupils")
    assert isinstance(everyone[1], float)
    assert AuditEvent.objects.get(action=AuditAction.EXPORTED).programme_id == reported.pk


@pytest.mark.parametrize("page", ["dashboards:school", "dashboards:governor_report"])
def test_a_schools_figures_by_year_group_are_typed_and_audited(
    client,
    world,
    reported,
    page,
):
    client.force_login(world.governor_a)
    url = reverse(page, args=[world.school_a.urn])
    rows = _sheet(client.get(f"{url}?export=attainment-{reported.slug}&format=xlsx"))
    year_two = _by_first_cells(rows, 1)["Year 2",]
    assert year_two["Pupils"] == 6
    assert isinstance(year_two["Average"], float)
    assert year_two["Disadvantaged gap"] == "Fewer than 5 pupils"
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert event.school_id == world.school_a.pk
    progress = client.get(f"{url}?export=progress-{reported.slug}&format=csv")
    assert progress.status_code == 200
    assert AuditEvent.objects.count() >= 2


def test_the_page_itself_is_no_download_and_records_nothing(client, world, reported):
    url = reverse("dashboards:programme", args=[reported.slug])
    assert client.get(f"{url}?export=nothing&format=csv")["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()
