"""Who is signing in: the account, by its normalised e-mail address, and the client, by its own
address rather than the proxy's. The sign-in lockout (django-axes) and the password-reset
limit both read them from here, so that neither can be dodged by one spelling or one header
that the other does not know about."""

import unicodedata

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def normalise_email(address: str) -> str:
    """The one spelling of an e-mail address that the portal stores, looks up and counts:
    `Head.A@School.ORG` and `head.a@school.org` are one person."""
    return unicodedata.normalize("NFKC", address).strip().lower()


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """django-axes' AXES_USERNAME_CALLABLE: the account an attempt is counted against."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    return normalise_email(username) if isinstance(username, str) else username


def client_address(request: HttpRequest) -> str | None:
    """The address of the client that sent the request.

    With TRUSTED_PROXY_COUNT = 0 the portal is reached directly, and the client is the peer
    (REMOTE_ADDR); X-Forwarded-For is ignored, since anyone can send it. Behind N proxies
    that each append the address they were reached from to X-Forwarded-For (nginx's
    `$proxy_add_x_forwarded_for`), the client is the N-th entry from the right: whatever a
    client writes into the header itself stays to the left of it and is never read.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        # ipware counts the proxies listed in the header, after the client; the last proxy,
        # the one connected to us, is REMOTE_ADDR and is not in it.
        address, _ = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            # A longer header is a client's own proxy, or a client's invention: count from
            # the right all the same.
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR")
