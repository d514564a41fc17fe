from django.test import Client
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent


def _sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_it_locks_an_account_after_five_wrong_passwords(world):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(4):
        assert _sign_in(client, "head.a@example.org", "guess").status_code == 200
    locked = _sign_in(client, "head.a@example.org", "guess")
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _sign_in(client, "head.a@example.org", "correct horse battery staple").status_code == 429
    # Another account from the same address is not locked.
    assert _sign_in(client, "head.b@example.org", "correct horse battery staple").status_code == 302


def test_a_correct_password_resets_the_count(world):
    client = Client()
    for _ in range(4):
        _sign_in(client, "head.a@example.org", "guess")
    assert _sign_in(client, "head.a@example.org", "correct horse battery staple").status_code == 302
    client.logout()
    for _ in range(4):
        assert _sign_in(client, "head.a@example.org", "guess").status_code == 200


def test_pages_carry_a_content_security_policy(client, world):
    client.force_login(world.hub_lead)
    response = client.get(reverse("dashboards:programme", args=[world.programme.slug]))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert ' style="' not in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_the_audit_log_is_for_site_admins(client, world):
    AuditEvent.objects.create(
        actor=world.hub_lead,
        actor_name=world.hub_lead.email,
        action=AuditAction.UPLOADED,
        subject="results.csv for Baseline",
    )
    client.force_login(world.hub_lead)
    assert client.get(reverse("audit_log")).status_code == 404
    client.force_login(world.admin)
    page = client.get(reverse("audit_log") + "?action=uploaded").content.decode()
    assert "results.csv for Baseline" in page
    assert world.hub_lead.full_name in page  # the person by name, no longer an address
    page = client.get(reverse("audit_log") + "?action=exported").content.decode()
    assert "results.csv for Baseline" not in page
