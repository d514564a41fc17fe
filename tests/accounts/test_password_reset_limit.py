"""Password-reset e-mails are limited per address and per client, and the page says nothing
about whether an account uses the address or whether the limit was reached."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import RequestCount
from accounts.services import password_reset_allow
from tests.factories import UserFactory
from tests.services import require_postgresql


def _ask(client, email):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    return response


def test_the_fourth_request_for_one_address_in_an_hour_sends_no_email(client, world):
    for spelling in ["head.a@example.org", "HEAD.A@example.org", "Head.A@Example.Org"]:
        _ask(client, spelling)
    assert len(mail.outbox) == 3
    _ask(client, "head.a@EXAMPLE.ORG")
    assert len(mail.outbox) == 3
    # Other addresses still get theirs.
    _ask(client, "head.b@example.org")
    assert [message.to for message in mail.outbox[3:]] == [["head.b@example.org"]]


def test_a_refused_request_looks_like_any_other(client, world):
    allowed = _ask(client, "nobody@example.org")
    for _ in range(3):
        _ask(client, "head.a@example.org")
    refused = _ask(client, "head.a@example.org")
    assert len(mail.outbox) == 3
    assert refused["Location"] == allowed["Location"]
    page = client.get(refused["Location"]).content.decode()
    assert "Check your e-mail" in page
    assert "Only a few links are sent to one address in an hour" in page


def test_an_address_without_an_account_is_limited_too(client, world):
    for _ in range(4):
        _ask(client, "nobody@example.org")
    (count,) = RequestCount.objects.filter(kind="password_reset_address")
    assert count.count == 3  # the fourth was refused, and not counted


def test_the_counts_hold_no_address(client, world):
    _ask(client, "head.a@example.org")
    for count in RequestCount.objects.all():
        assert len(count.key) == 64
        assert "head" not in count.key
        assert "127.0.0.1" not in count.key


def test_the_limit_lifts_an_hour_after_the_first_request(client, world):
    for _ in range(4):
        _ask(client, "head.a@example.org")
    assert len(mail.outbox) == 3
    RequestCount.objects.update(since=timezone.now() - timedelta(minutes=61))
    _ask(client, "head.a@example.org")
    assert len(mail.outbox) == 4


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_client_gets_ten_emails_an_hour_whatever_the_addresses(world):
    people = [UserFactory(email=f"teacher{n}@example.org") for n in range(11)]
    # Every client reaches the portal through its proxy, 10.0.0.2.
    one = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for person in people:
        _ask(one, person.email)
    assert len(mail.outbox) == 10
    # The same client writing another address into the header is still the same client.
    spoofing = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    _ask(spoofing, people[-1].email)
    _ask(one, people[-1].email)
    assert len(mail.outbox) == 10
    another = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    _ask(another, people[-1].email)
    assert len(mail.outbox) == 11
    assert mail.outbox[-1].to == [people[-1].email]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("request_for", "sent"),
    [
        (lambda n: ("sle02@example.org", f"198.51.100.{n}"), 3),
        (lambda n: (f"sle{n:02d}@example.org", "198.51.100.7"), 10),
    ],
    ids=["one address from many clients", "many addresses from one client"],
)
def test_thirty_requests_at_once_are_limited_as_if_one_by_one(request_for, sent):
    # The requests wait for each other on PostgreSQL's row locks: SQLite has none to take.
    require_postgresql()
    start = threading.Barrier(30)
    answers = []

    def ask(n):
        email, client = request_for(n)
        try:
            start.wait(timeout=30)
            answers.append(password_reset_allow(email=email, client_address=client))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [False] * (30 - sent) + [True] * sent
