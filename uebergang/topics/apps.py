from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "uebergang.topics"
    label = "topics"
    verbose_name = "Themen"

    def ready(self) -> None:
        # permissions, who reads the history, the topic area on the follow-up list
        from . import follow_up, history_rules, rules  # noqa: F401
