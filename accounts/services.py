from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RequestCount
from .signin import normalise_email

PASSWORD_RESET_WINDOW = timedelta(hours=1)


def _locked_count(kind: str, value: str, now: datetime, window: timedelta) -> RequestCount:
    """The count of one key, locked until the transaction ends; a new window if its last one
    has ended."""
    # Keyed, so the table holds no e-mail or client address that a dictionary could recover.
    key = salted_hmac(f"accounts.{kind}", value, algorithm="sha256").hexdigest()
    count, _ = RequestCount.objects.select_for_update().get_or_create(
        kind=kind, key=key, defaults={"since": now}
    )
    if count.since <= now - window:
        count.since, count.count = now, 0
    return count


def _forget_ended_windows(kind_prefix: str, now: datetime, window: timedelta) -> None:
    # Rows another request holds are left for a later one: waiting for them could deadlock.
    ended = RequestCount.objects.select_for_update(skip_locked=True).filter(
        kind__startswith=kind_prefix, since__lte=now - window
    )
    RequestCount.objects.filter(pk__in=list(ended.values_list("pk", flat=True))).delete()


@transaction.atomic
def password_reset_allow(*, email: str, client_address: str | None) -> bool:
    """Count a request for a password-reset e-mail, and say whether one may be sent: at most
    PASSWORD_RESET_LIMIT_PER_ADDRESS an hour to one address, whether or not an account uses
    it, and PASSWORD_RESET_LIMIT_PER_CLIENT an hour from one client, whatever the address. A
    refused request counts against neither."""
    now = timezone.now()
    _forget_ended_windows("password_reset", now, PASSWORD_RESET_WINDOW)
    address = normalise_email(email)
    limits = {("password_reset_address", address): settings.PASSWORD_RESET_LIMIT_PER_ADDRESS}
    if client_address:
        limits["password_reset_client", client_address] = settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    # Locked in one order by every request, so that requests sent at once queue here (thirty
    # still send three) and never deadlock.
    counts = [
        (_locked_count(kind, value, now, PASSWORD_RESET_WINDOW), limit)
        for (kind, value), limit in sorted(limits.items())
    ]
    if any(count.count >= limit for count, limit in counts):
        return False
    for count, _ in counts:
        count.count += 1
        count.save(update_fields=["since", "count"])
    return True
