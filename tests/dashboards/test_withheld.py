"""Withheld figures have one wording, at the threshold of the report they come from: on the
pages, in the PDFs and in the downloads."""

import csv
import io

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import reports
from tests.pdfs import pdf_html


def _render(source: str, **context) -> str:
    return Template("{% load figures %}" + source).render(Context(context))


@pytest.mark.parametrize("threshold", [5, 10])
def test_it_words_a_withheld_figure_at_the_reports_threshold(threshold):
    gap = {"pct_expected_points": None, "suppressed": True}
    assert _render('{% figure gap "pct_expected_points" t %}', gap=gap, t=threshold) == (
        f"Fewer than {threshold} pupils"
    )
    assert _render("{% withheld_cell t %}", t=threshold) == f"Fewer than {threshold} pupils"
    assert _render("{{ t|too_few }}", t=threshold) == f"fewer than {threshold} pupils"


def test_it_shows_a_figure_that_is_not_withheld_and_a_dash_for_none():
    group = {"pct_expected": 72.5, "mean": None}
    assert _render('{% figure g "pct_expected" 5 unit="%" %}', g=group) == "72.5%"
    assert _render('{% figure g "mean" 5 %}', g=group) == "–"
    assert _render("{{ t|too_few }}", t=None) == "too few pupils"


@pytest.fixture(params=[5, 10])
def at_threshold(request, reported, settings):
    """The report of six pupils at school A, computed at 5 (its disadvantaged pupils are
    withheld) and at 10 (all of them are)."""
    settings.SUPPRESSION_THRESHOLD = request.param
    assert reports.report_compute(programme_id=reported.pk).threshold == request.param
    return request.param


def _words(page: str, threshold: int) -> None:
    other = 10 if threshold == 5 else 5
    assert f">Fewer than {threshold} pupils<" in page
    assert f"Figures about fewer than {threshold} pupils are not shown." in page
    assert f"ewer than {other} pupils" not in page


@pytest.mark.parametrize(
    ("persona", "pages", "pdf", "of"),
    [
        ("hub_lead", ["dashboards:programme", "dashboards:funder_report"], 1, "programme"),
        ("governor_a", ["dashboards:school", "dashboards:governor_report"], 1, "school"),
    ],
)
def test_the_pages_and_pdfs_word_it_at_the_threshold(
    client, world, at_threshold, persona, pages, pdf, of
):
    client.force_login(getattr(world, persona))
    key = world.programme.slug if of == "programme" else world.school_a.urn
    urls = [reverse(name, args=[key]) for name in pages]
    for url in urls:
        _words(" ".join(client.get(url).content.decode().split()), at_threshold)
    _words(pdf_html(client, f"{urls[pdf]}?format=pdf"), at_threshold)


def test_the_report_download_words_it_at_the_threshold(client, world, at_threshold):
    client.force_login(world.hub_lead)
    url = reverse("evaluation:report_csv", args=[world.programme.slug])
    rows = list(csv.reader(client.get(url).content.decode("utf-8-sig").splitlines()))
    book = load_workbook(io.BytesIO(client.get(f"{url}?format=xlsx").content), read_only=True)
    for table in (rows, list(book.worksheets[0].iter_rows(values_only=True))):
        school = [r for r in table if r[0] == "school" and r[4] == "disadvantaged"]
        assert school
        assert all(r[5:] == (f"Fewer than {at_threshold} pupils",) * 5 for r in map(tuple, school))
        assert table[-1][0].startswith(f"Figures about fewer than {at_threshold} pupils")


def test_the_method_page_gives_the_same_wording(client, world, settings):
    client.force_login(world.hub_lead)
    settings.SUPPRESSION_THRESHOLD = 10
    page = client.get(reverse("evaluation:method")).content.decode()
    assert 'shown as "fewer than 10 pupils"' in page
