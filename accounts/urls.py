from django.urls import include, path

from . import two_factor_views, views

two_factor_patterns = [
    path("", two_factor_views.overview, name="overview"),
    path("set-up/", two_factor_views.setup, name="setup"),
    path("verify/", two_factor_views.verify, name="verify"),
    path("recovery-codes/", two_factor_views.recovery_codes, name="recovery_codes"),
    path("turn-off/", two_factor_views.disable, name="disable"),
    path("reset/", two_factor_views.reset, name="reset"),
]

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("accounts/two-factor/", include((two_factor_patterns, "two_factor"))),
    path("accounts/", include("django.contrib.auth.urls")),
]
