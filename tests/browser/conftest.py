"""Real headless Chromium (Debian's package; browsers cannot be downloaded here), driven by
Playwright, against the live test server."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from tests.services import unavailable

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
# Every context: axe-core is injected as an inline script, which the portal's CSP refuses; and
# with reduced motion Bootstrap's buttons change colour at once, so that axe never measures a
# label's contrast halfway through a transition (on a loaded machine it did, after a reset).
CONTEXT = {"bypass_csp": True, "reduced_motion": "reduce"}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        unavailable("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
        # Connections opened while Playwright runs are kept in its context, which the session's
        # last close (tests/conftest.py) does not see: close them here, or the test database
        # cannot be dropped.
        connections.close_all()


@pytest.fixture
def open_as(browser, live_server, client):
    """A browser context signed in as a user, at a tablet's size by default."""
    contexts = []

    def open_context(user, width=1024, height=768):
        client.force_login(user)
        context = browser.new_context(
            viewport={"width": width, "height": height},
            base_url=live_server.url,
            **CONTEXT,
        )
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


def axe_violations(page) -> list[str]:
    """WCAG 2.2 A and AA violations axe-core finds on the page."""
    if not AXE.exists():
        unavailable("needs axe-core: npm install --prefix tests/browser")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})).violations"""
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})" for v in violations
    ]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
