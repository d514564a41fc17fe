from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        # Imported once apps are ready: the receiver's module imports models.
        from .audit import record_failed_sign_in, record_sign_in, record_sign_out
        from .two_factor import remember_app_at_sign_in

        user_logged_in.connect(remember_app_at_sign_in, dispatch_uid="two_factor_has_app")
        user_logged_in.connect(record_sign_in, dispatch_uid="audit_sign_in")
        user_logged_out.connect(record_sign_out, dispatch_uid="audit_sign_out")
        user_login_failed.connect(record_failed_sign_in, dispatch_uid="audit_failed_sign_in")
