from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "uebergang.bodies"
    label = "bodies"
    verbose_name = "Gremien"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers permissions and relations)
