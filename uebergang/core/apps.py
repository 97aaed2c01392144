from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "uebergang.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # The plug-in modules that pages ask on every request, imported once at start-up:
        # each app's work-queue providers (core.workqueue), navigation entries
        # (core.navigation), panels (core.panels) and settings (core.netsettings). The demo
        # and the exchange parts are found when they are used (core.demo, core.exchange).
        autodiscover_modules("workqueue", "navigation", "panels", "network_settings")
