from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "uebergang.topics"
    label = "topics"
    verbose_name = "Themen"

    def ready(self) -> None:
        # permissions, who reads the history, the topic area on the follow-up list, the
        # decisions of approved minutes, topics on the agenda form
        from . import agenda_source, follow_up, from_minutes, history_rules, rules  # noqa: F401
