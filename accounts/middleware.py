from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .two_factor import second_step_due

# What a signed-in person may open before passing the second step: the two-factor pages that
# pass it, signing out, and the health check that load balancers call.
BEFORE_SECOND_STEP = frozenset({"two_factor:setup", "two_factor:verify", "logout", "healthz"})


class TwoFactorMiddleware:
    """Sends a signed-in person whose session has not passed two-factor sign-in, when they must
    (see accounts.two_factor.second_step_due), to set-up or the code check before any other
    page, and back to where they were going after it. Static files never reach here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        if request.resolver_match.view_name in BEFORE_SECOND_STEP:
            return None
        step = second_step_due(request)
        if step is None:
            return None
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
