"""Two-factor sign-in: who must pass it, set-up, the code check, recovery codes, the throttle,
turning it off and a site admin's reset. Here force_login stops at the password (see
tests/conftest.py), and every second step is passed through the pages themselves."""

import time
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditAction, AuditEvent
from accounts.services import two_factor_device_confirm, two_factor_device_start
from tests.factories import UserFactory

pytestmark = pytest.mark.password_only_login

PASSWORD = "correct horse battery staple"


@pytest.fixture
def clock(time_machine):
    """Time stands still (at the start of a 30-second step) until a test moves it."""
    time_machine.move_to(datetime(2026, 1, 5, 10, 0, tzinfo=UTC), tick=False)
    return time_machine


def code_at(device: TOTPDevice, when: float) -> str:
    """The code an authenticator app holding the device's key shows at a time."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = when
    return f"{totp.token():06d}"


def code_now(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return code_at(device, time.time())


def fresh_code(device: TOTPDevice, clock) -> str:
    """The code the app shows half a minute on: django-otp takes each code once only."""
    clock.shift(30)
    return code_now(device)


def wrong_code(device: TOTPDevice) -> str:
    """A code that is none of the three the app's clock may be on (now, a step either side)."""
    device.refresh_from_db()
    near = {code_at(device, time.time() + steps * device.step) for steps in (-1, 0, 1)}
    return next(code for code in (f"{n:06d}" for n in range(10**6)) if code not in near)


def give_app(user) -> TOTPDevice:
    device = two_factor_device_start(user=user)
    two_factor_device_confirm(device=device, code=code_now(device))
    return device


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def sign_in_with_app(client, user, device, clock):
    client.force_login(user)
    response = client.post(reverse("two_factor:verify"), {"code": fresh_code(device, clock)})
    assert response.status_code == 302


def recovery_codes(user) -> list[str]:
    return list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def test_it_sends_admins_and_hub_leads_without_an_app_to_set_up_from_any_page(client, world):
    setup = reverse("two_factor:setup")
    pages = ["/", reverse("dashboards:programme", args=[world.programme.slug]), "/audit/?x=1"]
    for person in (world.admin, world.hub_lead):
        client.force_login(person)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 302, page
            assert response["Location"] == f"{setup}?{urlencode({'next': page})}"


def test_it_refuses_a_wrong_code_at_set_up_and_confirms_the_right_one(client, world, clock):
    client.force_login(world.hub_lead)
    page = client.get(reverse("two_factor:setup")).content.decode()
    device = TOTPDevice.objects.get(user=world.hub_lead)
    assert not device.confirmed
    response = client.post(reverse("two_factor:setup"), {"code": wrong_code(device)})
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/")["Location"].startswith(reverse("two_factor:setup"))
    clock.shift(2)  # past the throttle's second
    response = client.post(reverse("two_factor:setup"), {"code": code_now(device)})
    page = response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    codes = recovery_codes(world.hub_lead)
    assert len(codes) == 10
    assert all(f'<code class="fs-5 text-body">{code}</code>' in page for code in codes)
    assert "they are not shown again" in page
    # The session has passed the second step: on to the dashboard.
    assert client.get("/")["Location"] == reverse(
        "dashboards:programme", args=[world.programme.slug]
    )
    event = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR_SET_UP)
    assert event.actor == world.hub_lead


def test_the_set_up_page_shows_the_qr_code_and_the_secret_it_holds(client, world):
    client.force_login(world.hub_lead)
    page = client.get(reverse("two_factor:setup")).content.decode()
    device = TOTPDevice.objects.get(user=world.hub_lead)
    assert '<svg role="img"' in page
    assert "<title>QR code that sets up your authenticator app</title>" in page
    secret = page.split('id="two-factor-secret">')[1].split("</code>")[0]
    assert f"secret={secret.replace(' ', '')}&" in device.config_url
    assert "issuer=mathsprog" in device.config_url
    # Reloading keeps the same app being set up, so a scanned code stays good.
    again = client.get(reverse("two_factor:setup")).content.decode()
    assert again.split("<form")[0] == page.split("<form")[0]
    assert TOTPDevice.objects.filter(user=world.hub_lead).count() == 1


def test_signing_in_again_asks_for_a_code_and_goes_on_where_it_was_going(world, clock):
    device = give_app(world.hub_lead)
    client = Client()
    sign_in(client, world.hub_lead)
    dashboard = reverse("dashboards:programme", args=[world.programme.slug])
    response = client.get(dashboard)
    verify = f"{reverse('two_factor:verify')}?{urlencode({'next': dashboard})}"
    assert response["Location"] == verify
    assert client.get(reverse("two_factor:setup"))["Location"] == reverse("two_factor:overview")
    assert "Enter your sign-in code" in client.get(verify).content.decode()
    response = client.post(verify, {"code": fresh_code(device, clock)})
    assert response["Location"] == dashboard
    assert client.get(dashboard).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_VERIFIED).count() == 1


def test_it_never_takes_a_code_twice(client, world, clock):
    device = give_app(world.hub_lead)
    code = fresh_code(device, clock)
    client.force_login(world.hub_lead)
    client.post(reverse("two_factor:verify"), {"code": code})
    other = Client()
    other.force_login(world.hub_lead)
    response = other.post(reverse("two_factor:verify"), {"code": code})
    assert "That code is not right" in response.content.decode()


def test_it_throttles_wrong_codes(client, world, clock):
    device = give_app(world.hub_lead)
    client.force_login(world.hub_lead)
    verify = reverse("two_factor:verify")
    clock.shift(30)
    assert "not right" in client.post(verify, {"code": wrong_code(device)}).content.decode()
    # Too soon after it: refused unread, and not counted.
    response = client.post(verify, {"code": wrong_code(device)})
    assert "Too many wrong codes: wait until 10:00:31" in response.content.decode()
    clock.shift(1)
    client.post(verify, {"code": wrong_code(device)})
    # Two wrong codes: even the right one waits two seconds after the last.
    response = client.post(verify, {"code": code_now(device)})
    assert "Too many wrong codes: wait until 10:00:33" in response.content.decode()
    assert client.get("/")["Location"].startswith(verify)
    clock.shift(1)
    response = client.post(verify, {"code": code_now(device)})
    assert "Too many wrong codes" in response.content.decode()
    clock.shift(1)
    assert client.post(verify, {"code": code_now(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_recovery_code_signs_in_once(world, clock):
    give_app(world.hub_lead)
    code = recovery_codes(world.hub_lead)[3]
    client = Client()
    sign_in(client, world.hub_lead)
    response = client.post(reverse("two_factor:verify"), {"code": code.upper()}, follow=True)
    assert "You used a recovery code: 9 left" in response.content.decode()
    assert code not in recovery_codes(world.hub_lead)
    event = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR_RECOVERY_USED)
    assert event.details == {"codes_left": 9}
    client.post(reverse("logout"))
    sign_in(client, world.hub_lead)
    response = client.post(reverse("two_factor:verify"), {"code": code})
    assert "That code is not right" in response.content.decode()
    assert client.get("/")["Location"].startswith(reverse("two_factor:verify"))


def test_new_recovery_codes_replace_the_old(client, world, clock):
    device = give_app(world.head_a)
    old = recovery_codes(world.head_a)
    sign_in_with_app(client, world.head_a, device, clock)
    assert (
        "You have 10 recovery codes left"
        in client.get(reverse("two_factor:recovery_codes")).content.decode()
    )
    page = client.post(reverse("two_factor:recovery_codes")).content.decode()
    new = recovery_codes(world.head_a)
    assert len(new) == 10
    assert not set(new) & set(old)
    assert all(code in page for code in new)
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_CODES_RENEWED).exists()


def test_a_headteacher_may_do_without_it_or_opt_in_and_is_then_asked(client, world, clock):
    client.force_login(world.head_a)
    school = reverse("dashboards:school", args=[world.school_a.urn])
    assert client.get("/")["Location"] == school
    assert "is <strong>off</strong>" in client.get(reverse("two_factor:overview")).content.decode()
    client.get(reverse("two_factor:setup"))
    device = TOTPDevice.objects.get(user=world.head_a)
    client.post(reverse("two_factor:setup"), {"code": code_now(device)})
    assert "is <strong>on</strong>" in client.get(reverse("two_factor:overview")).content.decode()
    client.post(reverse("logout"))
    sign_in(client, world.head_a)
    assert client.get(school)["Location"].startswith(reverse("two_factor:verify"))


def test_a_headteacher_may_turn_it_off_but_a_hub_lead_may_not(client, world, clock):
    device = give_app(world.head_a)
    sign_in_with_app(client, world.head_a, device, clock)
    response = client.post(reverse("two_factor:disable"))
    assert response["Location"] == reverse("two_factor:overview")
    assert not TOTPDevice.objects.filter(user=world.head_a).exists()
    assert not recovery_codes(world.head_a)
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_DISABLED).exists()
    client.post(reverse("logout"))
    sign_in(client, world.head_a)
    assert client.get("/")["Location"] == reverse("dashboards:school", args=[world.school_a.urn])
    lead = give_app(world.hub_lead)
    sign_in_with_app(client, world.hub_lead, lead, clock)
    assert client.post(reverse("two_factor:disable")).status_code == 404
    assert TOTPDevice.objects.filter(user=world.hub_lead).exists()


def test_it_is_required_of_a_governor_when_the_setting_says_so(client, world, settings, clock):
    client.force_login(world.governor_a)
    school = reverse("dashboards:school", args=[world.school_a.urn])
    assert client.get("/")["Location"] == school
    settings.TWO_FACTOR_REQUIRED_FOR_ALL = True
    assert client.get("/")["Location"].startswith(reverse("two_factor:setup"))
    client.get(reverse("two_factor:setup"))
    device = TOTPDevice.objects.get(user=world.governor_a)
    client.post(reverse("two_factor:setup"), {"code": code_now(device)})
    assert client.get("/")["Location"] == school
    assert client.post(reverse("two_factor:disable")).status_code == 404


def test_a_site_admin_resets_a_lost_phone(client, world, clock):
    lead_app = give_app(world.hub_lead)
    lead = Client()
    sign_in_with_app(lead, world.hub_lead, lead_app, clock)
    sign_in_with_app(client, world.admin, give_app(world.admin), clock)
    page = client.get(reverse("two_factor:reset"), {"search": "lead@"}).content.decode()
    assert "lead@example.org" in page
    assert "admin@example.org" not in page
    response = client.post(reverse("two_factor:reset"), {"user": world.hub_lead.pk})
    assert response["Location"] == reverse("two_factor:reset")
    assert not TOTPDevice.objects.filter(user=world.hub_lead).exists()
    assert not recovery_codes(world.hub_lead)
    event = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR_RESET)
    assert (event.actor, event.subject) == (world.admin, "Two-factor sign-in of lead@example.org")
    # The hub lead's signed-in session stops counting as verified at once: set up again.
    assert lead.get("/")["Location"].startswith(reverse("two_factor:setup"))


def test_nobody_else_may_reset_it(client, world, clock):
    give_app(world.head_a)
    lead_app = give_app(world.hub_lead)
    sign_in_with_app(client, world.hub_lead, lead_app, clock)
    assert client.get(reverse("two_factor:reset")).status_code == 404
    assert client.post(reverse("two_factor:reset"), {"user": world.head_a.pk}).status_code == 404
    assert TOTPDevice.objects.filter(user=world.head_a).exists()


def test_signing_out_needs_no_second_step(client, world):
    client.force_login(world.hub_lead)
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_the_health_check_needs_no_second_step(client, world):
    client.force_login(world.hub_lead)
    assert client.get(reverse("healthz")).status_code in (200, 503)


def test_the_pages_keep_to_a_query_budget(client, world, clock, django_assert_max_num_queries):
    for person in UserFactory.create_batch(3):
        give_app(person)
    sign_in_with_app(client, world.admin, give_app(world.admin), clock)
    for name in ("two_factor:overview", "two_factor:recovery_codes", "two_factor:reset"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(name)).status_code == 200, name
