"""Benchmark users pass two-factor sign-in as a person with an authenticator app would: hub
leads and site admins must use it, so their pages would otherwise answer with the set-up page
and the benchmark would time a redirect."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import must_use_two_factor
from accounts.two_factor import confirmed_app


def pass_second_step(session, user) -> None:
    """Name the user's confirmed app (made if they must have one) in their session, as
    django_otp's login does once the code is right."""
    device = confirmed_app(user)
    if device is None and must_use_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="Benchmark app")
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
