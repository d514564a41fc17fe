"""The lists on django-tables2 (templates/_table.html) in a real browser, on the demo data:
axe-core finds no WCAG 2.2 AA problem with their sort links, scroll regions and pagination
(at a laptop's size), and each list's scroll region fits a tablet's screen. At a tablet's
size the site admin's menu is wider than the screen, and axe finds its link to the audit log
too pale: the menu's problems, not a list's, so this test leaves them out."""

import pytest

from accounts.models import User
from demo.loader import DEMO_SLUG, load_demo

from .conftest import axe_violations

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]

LISTS = [
    "/schools/",
    "/audit/",
    "/visits/",
    "/programmes/",
    f"/programmes/{DEMO_SLUG}/work-groups/",
    f"/programmes/{DEMO_SLUG}/events/",
    f"/programmes/{DEMO_SLUG}/strands/",
    "/assessments/",
]


@pytest.fixture
def demo_data(db):
    load_demo()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (768, 1024)])
def test_each_list_is_accessible_and_fits_the_screen(demo_data, open_as, width, height):
    context = open_as(User.objects.get(email="admin@example.org"), width, height)
    page = context.new_page()
    for path in LISTS:
        assert page.goto(path).status == 200, path
        assert page.locator("div.table-responsive[role=region][tabindex='0']").count(), path
        assert axe_violations(page) == [], path
        rights = page.eval_on_selector_all(
            "div.table-responsive", "els => els.map(e => e.getBoundingClientRect().right)"
        )
        assert max(rights) <= width, path
    context.close()
