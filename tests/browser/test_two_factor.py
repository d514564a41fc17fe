"""Two-factor sign-in in a real browser, at a tablet's and a laptop's size: a hub lead sets up
an authenticator app from the QR code page's key, signs in again with a code and then with a
recovery code (once only), and a site admin resets their lost phone. axe-core checks each
two-factor page."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import CONTEXT, axe_violations, screenshot

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


def app_code(key: bytes, *, taken_up_to: int = -1, drift: int = 0) -> str:
    """The code an authenticator app holding `key` shows now, or, when the portal has already
    taken this half-minute's code (django-otp takes each once), the next half-minute's, which
    it accepts as a step of clock difference."""
    totp = TOTP(key, drift=drift)
    if totp.t() <= taken_up_to:
        totp.time = time.time() + (taken_up_to + 1 - totp.t()) * 30
    return f"{totp.token():06d}"


def code_for(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return app_code(device.bin_key, taken_up_to=device.last_t, drift=device.drift)


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")


def sign_out(page) -> None:
    menu = page.locator("nav button.navbar-toggler")
    if menu.is_visible():  # on a tablet the bar is folded behind its menu button
        menu.click()
        # Until the fold has opened its items move, and a click lands on the wrong place.
        page.wait_for_selector("#main-nav.collapse.show")
    page.click("nav button.dropdown-toggle")
    page.wait_for_selector("nav .dropdown-menu.show")
    with page.expect_navigation(url="**/accounts/login/"):
        page.click("nav button:has-text('Sign out')")


def enter_code(page, code: str) -> None:
    page.fill("#id_code", code)
    page.click("main form button[type=submit]:not(:has-text('Sign out'))")


def check(page, name: str, width: int, height: int) -> None:
    screenshot(page, f"two-factor-{name}-{width}x{height}")
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name


@pytest.mark.parametrize(("width", "height"), [(768, 1024), (1366, 768)])
def test_a_hub_lead_sets_it_up_signs_in_with_it_and_an_admin_resets_it(
    world, browser, live_server, open_as, width, height
):
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=live_server.url, **CONTEXT
    )
    page = context.new_page()
    dashboard = f"/programmes/{world.programme.slug}/"

    sign_in(page, world.hub_lead.email)
    page.wait_for_url("**/accounts/two-factor/set-up/?next=%2F")
    qr_code = page.locator("svg[role=img]").bounding_box()
    assert qr_code["width"] >= 200, qr_code  # big enough for a phone's camera
    check(page, "setup", width, height)
    secret = page.text_content("#two-factor-secret").replace(" ", "")
    enter_code(page, app_code(b32decode(secret)))
    page.wait_for_selector("text=Two-factor sign-in is set up")
    codes = page.eval_on_selector_all("ol.recovery-codes code", "els => els.map(e => e.innerText)")
    assert len(codes) == 10
    check(page, "codes", width, height)
    page.click("text=I have stored my codes: continue")
    page.wait_for_url(f"**{dashboard}")
    sign_out(page)

    sign_in(page, world.hub_lead.email)
    page.wait_for_url("**/accounts/two-factor/verify/?next=%2F")
    check(page, "verify", width, height)
    enter_code(page, code_for(world.hub_lead))
    page.wait_for_url(f"**{dashboard}")
    sign_out(page)

    sign_in(page, world.hub_lead.email)
    enter_code(page, codes[0])
    page.wait_for_url(f"**{dashboard}")
    assert "You used a recovery code: 9 left" in page.inner_text("main")
    sign_out(page)
    sign_in(page, world.hub_lead.email)
    enter_code(page, codes[0])
    assert "That code is not right" in page.inner_text("main")

    admin = open_as(world.admin, width, height).new_page()
    admin.goto("/accounts/two-factor/reset/")
    check(admin, "reset", width, height)
    admin.click(f"button:has-text('two-factor sign-in of {world.hub_lead.email}')")
    admin.wait_for_selector(f"text=({world.hub_lead.email}) is reset")
    assert not TOTPDevice.objects.filter(user=world.hub_lead).exists()

    # The hub lead, still at the code check, is sent to set up a new app.
    page.goto(dashboard)
    page.wait_for_url("**/accounts/two-factor/set-up/**")
    context.close()
