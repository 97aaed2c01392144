from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "uebergang.meetings"
    label = "meetings"
    verbose_name = "Sitzungen und Netzwerktag"

    def ready(self) -> None:
        from . import history_rules, rules  # noqa: F401  (permissions, who reads the history)
