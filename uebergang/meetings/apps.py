from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "uebergang.meetings"
    label = "meetings"
    verbose_name = "Sitzungen und Netzwerktag"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers permissions)
