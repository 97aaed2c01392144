from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "uebergang.meetings"
    label = "meetings"
    verbose_name = "Sitzungen und Netzwerktag"

    def ready(self) -> None:
        from . import (  # noqa: F401  (permissions, who reads the history, cached page scopes)
            cache_scopes,
            history_rules,
            rules,
        )
