"""The client's own address, behind the proxies the deployment says it has: the one that the
sign-in lockout and the password-reset limit count."""

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts.signin import client_address

PROXY = "10.0.0.2"  # the TLS proxy, as gunicorn sees it


def _address(proxies: int, forwarded_for: str | None = None) -> str | None:
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        return client_address(request)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "client"),
    [
        # Reached directly: the header is anybody's to write, and is not read.
        (0, None, PROXY),
        (0, "198.51.100.7", PROXY),
        # One proxy, which appends the address it was reached from.
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),  # what the client wrote stays left
        (1, "unknown, , 198.51.100.7", "198.51.100.7"),
        (1, "2001:db8::7", "2001:db8::7"),
        (1, None, PROXY),  # a request that did not come through the proxy
        # A CDN in front of the proxy: the CDN appends the client, the proxy the CDN.
        (2, "203.0.113.9, 198.51.100.7, 192.0.2.44", "198.51.100.7"),
        (2, "198.51.100.7", PROXY),  # shorter than the proxies say: not read
    ],
)
def test_it_reads_the_client_from_the_right_of_x_forwarded_for(proxies, forwarded_for, client):
    assert _address(proxies, forwarded_for) == client


def _sign_in(forwarded_for: str, email: str, password: str) -> int:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post(reverse("login"), {"username": email, "password": password}).status_code


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_one_clients_wrong_passwords_lock_only_that_client(world):
    for _ in range(4):
        assert _sign_in("198.51.100.7", "head.a@example.org", "guess") == 200
    assert _sign_in("198.51.100.7", "head.a@example.org", "guess") == 429
    assert _sign_in("198.51.100.7", "HEAD.A@example.org", "correct horse battery staple") == 429
    # Writing another address into the header does not dodge the lock...
    assert _sign_in("203.0.113.9, 198.51.100.7", "head.a@example.org", "guess") == 429
    # ...but the person at another address signs in as ever.
    assert _sign_in("203.0.113.9", "head.a@example.org", "correct horse battery staple") == 302
