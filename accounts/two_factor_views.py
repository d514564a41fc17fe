"""The two-factor sign-in pages: set-up, the code check at sign-in, recovery codes, turning it
off, and a site admin's reset of someone's lost device."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from .access import must_use_two_factor, require_site_admin, require_two_factor_optional
from .forms import TwoFactorCodeForm, TwoFactorResetForm, TwoFactorSearchForm
from .services import (
    two_factor_device_confirm,
    two_factor_device_start,
    two_factor_disable,
    two_factor_recovery_codes_renew,
    two_factor_reset,
    two_factor_verify,
)
from .two_factor import (
    HAS_APP_SESSION_KEY,
    confirmed_app,
    qr_code_svg,
    recovery_codes_left,
    secret_text,
    users_with_two_factor,
)


def _next_url(request) -> str:
    """Where the person was going when the second step stopped them (a page of this site)."""
    url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def _pass_second_step(request, device) -> None:
    # A new session key as the session gains its second factor, as Django gives one at sign-in.
    request.session.cycle_key()
    otp_login(request, device)
    request.session[HAS_APP_SESSION_KEY] = True


def _show_codes(request, codes: list[str], heading: str):
    context = {"codes": codes, "heading": heading, "next": _next_url(request)}
    return render(request, "accounts/two_factor/codes.html", context)


def _unless_verified(request):
    """Changing a set-up needs a session that passed it: else, where to go first."""
    if confirmed_app(request.user) is None:
        return redirect("two_factor:overview")
    if not request.user.is_verified():
        return redirect(f"{reverse('two_factor:verify')}?{urlencode({'next': request.path})}")
    return None


def overview(request):
    app = confirmed_app(request.user)
    context = {
        "app": app,
        "required": must_use_two_factor(request.user),
        "codes_left": recovery_codes_left(request.user) if app else 0,
    }
    return render(request, "accounts/two_factor/overview.html", context)


@never_cache
def setup(request):
    if confirmed_app(request.user) is not None:
        # Another app only after turning this one off or a reset: a password alone, without
        # the app, must never be enough to add one.
        return redirect("two_factor:overview")
    device = two_factor_device_start(user=request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_device_confirm(device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _pass_second_step(request, device)
            return _show_codes(request, codes, "Two-factor sign-in is set up")
    context = {
        "form": form,
        "qr_code": qr_code_svg(device),
        "secret": secret_text(device),
        "required": must_use_two_factor(request.user),
    }
    return render(request, "accounts/two_factor/setup.html", context)


@never_cache
def verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if confirmed_app(request.user) is None:
        return redirect(f"{reverse('two_factor:setup')}?{request.GET.urlencode()}")
    form = TwoFactorCodeForm(request.POST or None, recovery=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _pass_second_step(request, device)
            if isinstance(device, StaticDevice):
                left = recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"You used a recovery code: {left} left. You can make new ones on your "
                    "two-factor sign-in page.",
                )
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor/verify.html", {"form": form})


@never_cache
def recovery_codes(request):
    refusal = _unless_verified(request)
    if refusal:
        return refusal
    if request.method == "POST":
        codes = two_factor_recovery_codes_renew(user=request.user)
        return _show_codes(request, codes, "Your new recovery codes")
    context = {"codes_left": recovery_codes_left(request.user)}
    return render(request, "accounts/two_factor/recovery_codes.html", context)


def disable(request):
    require_two_factor_optional(request.user)
    refusal = _unless_verified(request)
    if refusal:
        return refusal
    if request.method == "POST":
        two_factor_disable(user=request.user)
        request.session[HAS_APP_SESSION_KEY] = False
        messages.success(request, "Two-factor sign-in is off: your password alone signs you in.")
        return redirect("two_factor:overview")
    return render(request, "accounts/two_factor/disable.html")


def reset(request):
    """Site admins: clear the app and recovery codes of someone who lost their phone."""
    require_site_admin(request.user)
    search = TwoFactorSearchForm(request.GET or None)
    users = users_with_two_factor(search.cleaned_data["search"] if search.is_valid() else "")
    form = TwoFactorResetForm(request.POST or None, users=users)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["user"]
        two_factor_reset(actor=request.user, user=person)
        messages.success(
            request,
            f"Two-factor sign-in of {person} ({person.email}) is reset. If they must use it, "
            "they set it up again when they next open a page.",
        )
        return redirect("two_factor:reset")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": search, "page": page, "query": query.urlencode()}
    return render(request, "accounts/two_factor/reset.html", context)
