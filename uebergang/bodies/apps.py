from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "uebergang.bodies"
    label = "bodies"
    verbose_name = "Gremien"

    def ready(self) -> None:
        from . import history_rules, rules  # noqa: F401  (permissions, who reads the history)
