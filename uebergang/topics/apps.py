from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "uebergang.topics"
    label = "topics"
    verbose_name = "Themen"

    def ready(self) -> None:
        from . import history_rules, rules  # noqa: F401  (permissions, who reads the history)
