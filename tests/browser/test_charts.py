"""The charts in a real browser: drawn with their intervals as error bars by the vendored
plugin, at a laptop's and a tablet's size, with no script error and nothing axe-core finds;
and static/js/charts.js on its own, with withheld figures and figures without an interval."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import User
from demo.loader import DEMO_SLUG, load_demo

from .conftest import axe_violations, screenshot

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]

STATIC = Path(settings.BASE_DIR) / "static"
SCRIPTS = [
    STATIC / "vendor" / "chartjs" / "chart.umd.min.js",
    STATIC / "vendor" / "chartjs-chart-error-bars" / "chartjs-chart-error-bars-4.4.5.umd.min.js",
    STATIC / "js" / "charts.js",
]
# Each drawn series, point by point, as Chart.js parsed it: [value, low, high].
PARSED = """els => els.map(canvas => Chart.getChart(canvas).data.datasets.map((_, i) => {
    const meta = Chart.getChart(canvas).getDatasetMeta(i);
    return meta.data.map((_, n) => meta.controller.getParsed(n))
        .map(p => [p.y, p.yMin, p.yMax]);
}))"""


def _watch(page) -> list[str]:
    """The page's script errors, console errors and failed requests, as they come. The
    portal has no favicon.ico, which Chromium asks for on its own, now and then."""
    errors = []

    def console(message):
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            errors.append(f"{message.text} ({url})")

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", console)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


@pytest.fixture
def demo_data(db):
    load_demo()


@pytest.mark.parametrize(("width", "height"), [(768, 1024), (1366, 768)])
def test_the_programme_dashboards_charts_draw_their_intervals(demo_data, open_as, width, height):
    context = open_as(User.objects.get(email="hub.lead@example.org"), width, height)
    page = context.new_page()
    errors = _watch(page)
    assert page.goto(f"/programmes/{DEMO_SLUG}/").status == 200
    charts = page.eval_on_selector_all(
        "canvas[data-chart]", "els => els.map(e => [e.dataset.drawn, e.dataset.errorBars])"
    )
    # Attainment and the gaps over the windows, then the same over the years (trends).
    assert charts == [["yes", "yes"]] * 4
    types = page.eval_on_selector_all(
        "canvas[data-chart]", "els => els.map(e => Chart.getChart(e).config.type)"
    )
    assert types == ["lineWithErrorBars", "barWithErrorBars"] * 2
    # Each figure with an interval in the page's data is drawn with it as its error bar.
    for chart, drawn in zip(_specs(page), page.eval_on_selector_all("canvas[data-chart]", PARSED),
                            strict=True):  # fmt: skip
        for series, points in zip(chart["datasets"], drawn, strict=True):
            for value, interval, point in zip(series["data"], series["intervals"], points,
                                              strict=True):  # fmt: skip
                if interval is not None:
                    assert point == [value, *interval], series["label"]
    assert any(i for c in _specs(page) for s in c["datasets"] for i in s["intervals"])
    assert errors == []
    assert axe_violations(page) == []
    screenshot(page, f"charts-programme-{width}x{height}")


def _specs(page) -> list[dict]:
    return [json.loads(text) for text in page.eval_on_selector_all(
        "script[type='application/json']", "els => els.map(e => e.textContent)")]  # fmt: skip


SPECS = {
    # A withheld first figure, a figure without an interval, then one with.
    "line-chart": {"type": "line", "unit": "%", "labels": ["Autumn", "Spring", "Summer"],
                   "datasets": [{"label": "Disadvantaged pupils", "data": [None, 50.0, 60.0],
                                 "intervals": [None, None, [40.5, 78.1]], "colour": "#D55E00",
                                 "marker": "triangle", "dash": [6, 3], "pattern": "stripes"}]},
    "bar-chart": {"type": "bar", "unit": " points", "labels": ["Autumn", "Spring", "Summer"],
                  "datasets": [{"label": "Disadvantaged gap", "data": [None, 12.5, None],
                                "intervals": [None, [-3.1, 28.0], None], "colour": "#D55E00",
                                "marker": "triangle", "dash": [6, 3], "pattern": "stripes"},
                               {"label": "SEND gap", "data": [None, None, None],
                                "intervals": [None, None], "colour": "#CC79A7",
                                "marker": "rectRot", "dash": [2, 2], "pattern": "grid"}]},
}  # fmt: skip


def test_charts_draw_withheld_figures_and_figures_without_an_interval(browser):
    page = browser.new_page()
    errors = _watch(page)
    islands = "".join(
        f'<canvas data-chart="{name}"></canvas><script id="{name}" type="application/json">'
        f"{json.dumps(spec)}</script>"
        for name, spec in SPECS.items()
    )
    page.set_content(f"<!doctype html><html><body>{islands}</body></html>")
    for script in SCRIPTS:
        page.add_script_tag(path=str(script))
    charts = page.eval_on_selector_all(
        "canvas[data-chart]", "els => els.map(e => [e.dataset.drawn, e.dataset.errorBars])"
    )
    assert errors == []
    assert charts == [["yes", "yes"]] * 2
    # A figure without an interval has none drawn (its bar ends at the figure itself); a
    # withheld one is no point at all, and the figures after it keep their places.
    assert page.eval_on_selector_all("canvas[data-chart]", PARSED) == [
        [[[None, None, None], [50.0, 50.0, 50.0], [60.0, 40.5, 78.1]]],
        [[[None, None, None], [12.5, -3.1, 28.0], [None, None, None]],
         [[None, None, None]] * 3],
    ]  # fmt: skip
    page.close()
