"""Reads for two-factor sign-in: a person's devices (django-otp's authenticator app and
recovery codes), the QR code that sets an app up, and which step of sign-in is due."""

from base64 import b32encode

import segno
from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import must_use_two_factor
from .models import User

# Whether the person had an authenticator app when they signed in, so that a person who may
# do without one pays no query per page to learn that they have none. Set at each sign-in:
# an app set up elsewhere asks for its codes from the next sign-in on.
HAS_APP_SESSION_KEY = "two_factor_has_app"


def confirmed_app(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def secret_text(device: TOTPDevice) -> str:
    """The app's secret in the base-32 letters apps ask for, in groups of four to copy by eye."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth URI as inline SVG: no script, style or data: image for the CSP to refuse.
    Dark on an explicit white ground, so that a phone reads it whatever the page's colours."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5,
        dark="#000",
        light="#fff",
        title="QR code that sets up your authenticator app",
        svgclass="two-factor-qr",
    )
    # An image to assistive technology, named by its <title>.
    return svg.replace("<svg ", '<svg role="img" ', 1)


def users_with_two_factor(search: str = "") -> QuerySet[User]:
    users = User.objects.filter(
        pk__in=TOTPDevice.objects.filter(confirmed=True).values("user")
    ).order_by("full_name", "email")
    if search:
        users = users.filter(email__icontains=search) | users.filter(full_name__icontains=search)
    return users


def remember_app_at_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (see apps.py)."""
    request.session[HAS_APP_SESSION_KEY] = confirmed_app(user) is not None


def second_step_due(request) -> str | None:
    """The two-factor page a signed-in person must pass before any other, if any: set-up when
    they must use two-factor sign-in and have no app yet, else the code check when their
    session has not passed it."""
    user = request.user
    must = must_use_two_factor(user)
    if not (must or request.session.get(HAS_APP_SESSION_KEY)) or user.is_verified():
        return None
    if confirmed_app(user) is not None:
        return "two_factor:verify"
    if must:
        return "two_factor:setup"
    # Their app was reset or turned off since they signed in: nothing more to ask.
    request.session[HAS_APP_SESSION_KEY] = False
    return None
