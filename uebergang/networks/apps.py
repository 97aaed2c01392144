from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "uebergang.networks"
    label = "networks"
    verbose_name = "Netzwerk-Register"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers permissions and relations)
