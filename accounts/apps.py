from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        # Imported once apps are ready: the receiver's module imports models.
        from .two_factor import remember_app_at_sign_in

        user_logged_in.connect(remember_app_at_sign_in, dispatch_uid="two_factor_has_app")
