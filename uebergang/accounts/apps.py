from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "uebergang.accounts"
    label = "accounts"
    verbose_name = "Konten"

    def ready(self) -> None:
        from uebergang.core.api import register_token_authenticator

        from .services import api_token_authenticate

        # The API (core) checks personal tokens with accounts' function; core imports no
        # domain app.
        register_token_authenticator(api_token_authenticate)

        from . import history_rules  # noqa: F401  (registers who reads the history)
