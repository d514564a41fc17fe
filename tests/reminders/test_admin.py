from django.urls import reverse

from .conftest import sent


def test_it_shows_a_staff_site_admin_the_ledger(term, run, client):
    run()
    assert sent("teacher.a@example.org")
    term.admin.is_staff = term.admin.is_superuser = True
    term.admin.save()
    client.force_login(term.admin)
    page = client.get(reverse("admin:reminders_reminder_changelist"))
    assert page.status_code == 200
    assert b"teacher.a@example.org" in page.content
