from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit
from .models import AuditAction, RequestCount, User
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


def password_reset_email_send(*, user_id: int, domain: str, use_https: bool) -> bool:
    """Send the password reset e-mail (the worker's task: no web request waits on the mail
    server). The link's token is made here, so no secret waits on the broker's queue; a user
    made inactive since the request gets nothing. Whether an e-mail went."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }
    # Django's own templates and sending, as its password reset view would use them.
    auth_forms.PasswordResetForm().send_mail(
        "registration/password_reset_subject.txt",
        "registration/password_reset_email.html",
        context,
        None,
        user.email,
    )
    return True


def _subject(user) -> str:
    return f"Two-factor sign-in of {user.email}"


def _replace_recovery_codes(user) -> list[str]:
    # One device holds them all, kept across renewals so that its throttle is kept too.
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _try_code(device, code: str) -> tuple[bool, datetime | None]:
    """Check a code on a device locked for update, through django-otp's own throttle: after
    each wrong code the next is refused for twice as long (1 s, 2 s, 4 s...). Says whether it
    was right, or until when no code is tried."""
    allowed, refusal = device.verify_is_allowed()
    if not allowed:
        return False, refusal.get("locked_until")
    return device.verify_token(code), None


def _wrong_code(locked_until: datetime | None) -> ValidationError:
    if locked_until is None:
        return ValidationError("That code is not right. Check it and try again.")
    at = timezone.localtime(locked_until)
    return ValidationError(f"Too many wrong codes: wait until {at:%H:%M:%S}, then try again.")


def two_factor_device_start(*, user) -> TOTPDevice:
    """The authenticator app being set up: one, kept until confirmed, so that reloading the
    page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def _confirm(*, device: TOTPDevice, code: str) -> tuple[list[str] | None, datetime | None]:
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    right, locked_until = _try_code(device, code)
    if not right:
        return None, locked_until
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    codes = _replace_recovery_codes(device.user)
    audit(device.user, AuditAction.TWO_FACTOR_SET_UP, _subject(device.user))
    return codes, None


def two_factor_device_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm an app by a code it shows; give the person their recovery codes."""
    # The wrong code's count is committed before the refusal is raised.
    codes, locked_until = _confirm(device=device, code=code)
    if codes is None:
        raise _wrong_code(locked_until)
    return codes


@transaction.atomic
def _verify(*, user, code: str) -> tuple[Device | None, datetime | None]:
    # Six digits are the app's; anything else is a recovery code (eight letters and digits).
    app = len(code) == 6 and code.isdigit()
    model = TOTPDevice if app else StaticDevice
    device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
    if device is None:
        return None, None
    right, locked_until = _try_code(device, code)
    if not right:
        return None, locked_until
    if app:
        audit(user, AuditAction.TWO_FACTOR_VERIFIED, _subject(user))
    else:
        left = device.token_set.count()
        audit(user, AuditAction.TWO_FACTOR_RECOVERY_USED, _subject(user), codes_left=left)
    return device, None


def two_factor_verify(*, user, code: str) -> Device:
    """The device that accepts a code from the person's app, or one of their recovery codes
    (used up by this). Refuses a wrong code, and any code while the throttle holds."""
    device, locked_until = _verify(user=user, code=code)
    if device is None:
        raise _wrong_code(locked_until)
    return device


@transaction.atomic
def two_factor_recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _replace_recovery_codes(user)
    audit(user, AuditAction.TWO_FACTOR_CODES_RENEWED, _subject(user))
    return codes


def _delete_devices(user) -> int:
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    return deleted + StaticDevice.objects.filter(user=user).delete()[0]


@transaction.atomic
def two_factor_disable(*, user) -> None:
    """Turn off two-factor sign-in (only for those who may do without it: see access)."""
    _delete_devices(user)
    audit(user, AuditAction.TWO_FACTOR_DISABLED, _subject(user))


@transaction.atomic
def two_factor_reset(*, actor, user) -> None:
    """A site admin clears a person's app and recovery codes (a lost phone). Their signed-in
    sessions stop counting as verified at once; those who must use two-factor sign-in set it
    up again before any other page."""
    deleted = _delete_devices(user)
    audit(actor, AuditAction.TWO_FACTOR_RESET, _subject(user), devices_deleted=deleted)
