"""The password reset e-mail is sent by the worker, not in the request (no web request waits
on the mail server), and its link is made there, so no token waits on the broker."""

import re

from django.core import mail
from django.urls import reverse

from accounts.tasks import send_password_reset

from ..broker import NOBODY_LISTENS, broker


def test_the_request_queues_the_email_and_the_worker_sends_a_working_link(client, world):
    with broker(NOBODY_LISTENS):  # nothing takes the task: the request alone sends nothing
        response = client.post(reverse("password_reset"), {"email": "head.a@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    assert send_password_reset(world.head_a.pk, "portal.example.org", True) is True
    [sent] = mail.outbox
    assert sent.to == ["head.a@example.org"]
    link = re.search(r"https://portal\.example\.org(/accounts/reset/\S+/)", sent.body).group(1)
    form_url = client.get(link)["Location"]
    phrase = "another maths hub phrase"
    response = client.post(form_url, {"new_password1": phrase, "new_password2": phrase})
    assert response["Location"] == reverse("password_reset_complete")
    world.head_a.refresh_from_db()
    assert world.head_a.check_password(phrase)


def test_nothing_goes_to_an_account_made_inactive_since_the_request(world):
    world.head_a.is_active = False
    world.head_a.save()
    assert send_password_reset(world.head_a.pk, "portal.example.org", True) is False
    assert mail.outbox == []
