from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "uebergang.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from django.db.models import fields
        from django.utils.module_loading import autodiscover_modules
        from django.utils.translation import gettext_lazy

        # A select's empty choice in our words (Django's own "- Select an option -" has no
        # German translation): Django reads it when a form field is built.
        fields.BLANK_CHOICE_LABEL = gettext_lazy("– bitte auswählen –")

        # The plug-in modules that pages ask on every request, imported once at start-up:
        # each app's work-queue providers (core.workqueue), navigation entries
        # (core.navigation), panels (core.panels) and settings (core.netsettings). The demo
        # and the exchange parts are found when they are used (core.demo, core.exchange).
        autodiscover_modules("workqueue", "navigation", "panels", "network_settings")
