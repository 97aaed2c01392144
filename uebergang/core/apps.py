from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "uebergang.core"
    label = "core"
    verbose_name = "Kern"
