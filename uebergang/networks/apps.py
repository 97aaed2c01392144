from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "uebergang.networks"
    label = "networks"
    verbose_name = "Netzwerk-Register"

    def ready(self) -> None:
        from . import history_rules, rules  # noqa: F401  (permissions, who reads the history)
