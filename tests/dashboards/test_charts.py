"""The charts of the programme and school dashboards, read from their pages' data: one look
per series on every chart (dashboards.figures.SERIES), each figure beside its 95% interval
(worked out here again with statsmodels) in the data and in the table under the chart, and
no interval of a figure withheld under the threshold, anywhere on the page."""

import html
import json
import re

from django.urls import reverse
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from evaluation import reports
from tests.evaluation.test_figure_words import evidence  # noqa: F401 (a fixture)
from tests.evaluation.test_reports import imported, second_window  # noqa: F401

# Okabe and Ito's eight colours, which readers with each kind of colour blindness tell apart.
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
             "#CC79A7"}  # fmt: skip
# Chart.js's point styles.
MARKERS = {"circle", "cross", "crossRot", "dash", "line", "rect", "rectRounded", "rectRot",
           "star", "triangle"}  # fmt: skip
ISLAND = re.compile(r'<script id="(chart-[\w-]+)" type="application/json">(.*?)</script>', re.S)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def charts(page: str) -> dict[str, dict]:
    """Each chart's data on the page, by its id."""
    return {name: json.loads(data) for name, data in ISLAND.findall(page)}


def _pages(client, world, programme) -> dict[str, str]:
    """The programme dashboard (attainment and gap charts) and the school's (its chart)."""
    client.force_login(world.hub_lead)
    pages = {"programme": _page(client, reverse("dashboards:programme", args=[programme.slug]))}
    client.force_login(world.head_a)
    pages["school"] = _page(client, reverse("dashboards:school", args=[world.school_a.urn]))
    return pages


def wilson(count: int, n: int) -> list[float]:
    low, high = proportion_confint(count, n, alpha=0.05, method="wilson")
    return [round(100 * low, 1), round(100 * high, 1)]


def newcombe(ahead: tuple[int, int], behind: tuple[int, int]) -> list[float]:
    """Newcombe's hybrid score interval of ahead minus behind, in points."""
    low, high = confint_proportions_2indep(*ahead, *behind, method="newcomb", compare="diff")
    return [round(100 * low, 1), round(100 * high, 1)]


def test_each_series_has_one_look_on_every_chart_and_a_distinct_one_within_each(
    client,
    world,
    evidence,  # noqa: F811
):
    pages = _pages(client, world, evidence)
    found = {**charts(pages["programme"]), **charts(pages["school"])}
    school = f"chart-school-{evidence.slug}"
    assert sorted(found) == sorted(["chart-attainment", "chart-gap", school])
    assert [s["key"] for s in found["chart-attainment"]["datasets"]] == [
        "all", "disadvantaged", "send", "comparison"]  # fmt: skip
    assert [s["key"] for s in found["chart-gap"]["datasets"]] == [
        "disadvantaged", "send", "comparison_gap"]  # fmt: skip
    assert [s["key"] for s in found[school]["datasets"]] == ["disadvantaged", "other"]
    looks = {}
    for chart in found.values():
        sets = chart["datasets"]
        for series in sets:
            look = (series["colour"], series["marker"], tuple(series["dash"]), series["pattern"])
            assert looks.setdefault(series["key"], look) == look, series["key"]
            assert series["colour"] in OKABE_ITO
            assert series["marker"] in MARKERS
            assert all(isinstance(d, int) and d > 0 for d in series["dash"])
            assert len(series["intervals"]) == len(series["data"]) == len(chart["labels"])
        # Apart by colour, and without colour too: by marker, and by dash on a line chart
        # or by pattern on a bar chart.
        second = "dash" if chart["type"] == "line" else "pattern"
        for cue in ("colour", "marker", second):
            cues = [json.dumps(series[cue]) for series in sets]
            assert len(set(cues)) == len(cues), (chart["labels"], cue)
    assert len(looks) == 6


def test_each_figure_is_charted_with_its_interval_and_tabled_with_it(
    client,
    world,
    evidence,  # noqa: F811
):
    pages = _pages(client, world, evidence)
    found = {**charts(pages["programme"]), **charts(pages["school"])}
    series = {(name, s["key"]): s for name, chart in found.items() for s in chart["datasets"]}
    # At both windows: 4 of the 6 pupils at the expected standard (scores of 100 or more),
    # 1 of the 2 disadvantaged, 2 of the 2 with SEND; 2 of the 4 at the comparison school.
    expected = {
        ("chart-attainment", "all"): ([66.7] * 2, [wilson(4, 6)] * 2),
        ("chart-attainment", "disadvantaged"): ([50.0] * 2, [wilson(1, 2)] * 2),
        ("chart-attainment", "send"): ([100.0] * 2, [wilson(2, 2)] * 2),
        ("chart-attainment", "comparison"): ([50.0] * 2, [wilson(2, 4)] * 2),
        # 3 of 4 others against 1 of 2 disadvantaged; 2 of 4 without SEND against 2 of 2.
        ("chart-gap", "disadvantaged"): ([25.0] * 2, [newcombe((3, 4), (1, 2))] * 2),
        ("chart-gap", "send"): ([-50.0] * 2, [newcombe((2, 4), (2, 2))] * 2),
        # No disadvantaged pupil at the comparison school: no gap.
        ("chart-gap", "comparison_gap"): ([None] * 2, [None] * 2),
        # Year 2, at the latest window.
        (f"chart-school-{evidence.slug}", "disadvantaged"): ([50.0], [wilson(1, 2)]),
        (f"chart-school-{evidence.slug}", "other"): ([75.0], [wilson(3, 4)]),
    }
    assert {key: (s["data"], s["intervals"]) for key, s in series.items()} == expected
    programme = " ".join(pages["programme"].split())
    client.force_login(world.hub_lead)
    funder = _page(client, reverse("dashboards:funder_report", args=[evidence.slug]))
    low, high = wilson(4, 6)  # 30.0 to 90.3
    cell = f'66.7%<br><span class="small text-body-secondary">95% CI {low} to {high}</span>'
    assert programme.count(cell) == " ".join(funder.split()).count(cell) == 2
    low, high = newcombe((2, 4), (2, 2))
    cell = f'-50.0 points<br><span class="small text-body-secondary">95% CI {low} to {high}'
    assert cell in programme
    low, high = wilson(3, 4)
    client.force_login(world.governor_a)
    governor = _page(client, reverse("dashboards:governor_report", args=[world.school_a.urn]))
    for school in (pages["school"], governor):
        cell = f'75.0%<br><span class="small text-body-secondary">95% CI {low} to {high}'
        assert cell in " ".join(school.split())


# An interval in words: "95% CI 30.0 to 90.3", "interval 9.5% to 90.5%", "95% confidence
# interval allowing for schools -1.359 to 1.802".
INTERVAL = re.compile(r"(?:CI|interval)(?: allowing for schools)? (-?[\d.]+)%? to (-?[\d.]+)")


def _intervals_shown(page: str) -> set[tuple[float, float]]:
    """Every interval the page gives: in its charts' data, its tables and its sentences."""
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", ISLAND.sub("", page)).split()))
    words = {(float(low), float(high)) for low, high in INTERVAL.findall(text)}
    data = {tuple(i) for chart in charts(page).values() for s in chart["datasets"]
            for i in s["intervals"] if i is not None}  # fmt: skip
    return words | data


def test_no_interval_of_a_withheld_figure_is_shown(client, world, imported):  # noqa: F811
    # At the threshold of 5, the two disadvantaged pupils and the two with SEND are withheld
    # (and the others with them), the four comparison pupils too: only all six pupils' share
    # is shown, with its interval (4 of 6), at each window.
    pages = _pages(client, world, imported)
    assert _intervals_shown(pages["programme"]) == {tuple(wilson(4, 6))}
    assert " ".join(pages["programme"].split()).count("95% CI") == 2
    for series in charts(pages["programme"])["chart-gap"]["datasets"]:
        assert series["data"] == series["intervals"] == [None, None], series["key"]
    assert _intervals_shown(pages["school"]) == set()


def test_no_interval_is_shown_when_every_figure_is_withheld(client, world, imported, settings):  # noqa: F811
    settings.SUPPRESSION_THRESHOLD = 7
    reports.report_compute(programme_id=imported.pk)
    pages = list(_pages(client, world, imported).values())
    client.force_login(world.hub_lead)
    pages.append(_page(client, reverse("dashboards:funder_report", args=[imported.slug])))
    for page in pages:
        assert "Fewer than 7 pupils" in page
        assert _intervals_shown(page) == set()
