"""Each role's dashboard in a real browser, at a laptop's and a tablet's size, on the demo
data: the charts draw, and axe-core finds no WCAG 2.2 AA problem."""

from itertools import product

import pytest

from accounts.models import User
from demo.loader import DEMO_SLUG, load_demo

from .conftest import axe_violations, screenshot

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]

# With the demo's two academic years, the programme's page, a school's and its governor
# report show their trends over years: two charts more (attainment and gaps).
PAGES = [
    ("hub.lead@example.org", f"/programmes/{DEMO_SLUG}/", 2 + 2),
    ("hub.lead@example.org", f"/programmes/{DEMO_SLUG}/funder-report/", 2),
    ("hub.lead@example.org", f"/visits/coverage/{DEMO_SLUG}/all/", 1),
    ("sle01@example.org", "/schools/mine/", 0),
    ("head.100100@example.org", "/schools/100100/", 1 + 2),
    ("governor.100100@example.org", "/schools/100100/governor-report/", 1 + 2),
    ("mathslead.100100@example.org", "/schools/100100/action-plan/", 0),
]


@pytest.fixture
def demo_data(db):
    load_demo()


def test_each_dashboard_draws_its_charts_and_is_accessible(demo_data, open_as):
    """At a laptop's size, then a tablet's: the demo is loaded once for both."""
    for (width, height), (email, path, charts) in product([(1366, 768), (768, 1024)], PAGES):
        context = open_as(User.objects.get(email=email), width, height)
        page = context.new_page()
        page.goto(path)
        drawn = page.eval_on_selector_all(
            "canvas[data-chart]", "els => els.map(e => e.dataset.drawn)"
        )
        assert drawn == ["yes"] * charts, (path, width, drawn)
        assert axe_violations(page) == [], (path, width)
        name = path.strip("/").replace("/", "-") or "home"
        screenshot(page, f"{name}-{width}x{height}")
        # Nothing is wider than the screen: no sideways scrolling on a tablet.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
        context.close()
