from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "uebergang.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Every app's `workqueue.py` registers its work queue providers (core.workqueue).
        autodiscover_modules("workqueue")
