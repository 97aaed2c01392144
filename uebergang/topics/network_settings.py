"""The settings of topics (`core.netsettings`)."""

from django.utils.translation import gettext_lazy as _

from uebergang.core.netsettings import register_setting

FINAL_DECISION = "topics.final_decision"

register_setting(
    FINAL_DECISION,
    label=_("Das Entscheidungsgremium entscheidet abschließend über jedes Thema"),
    help_text=_(
        "An: Nach der Empfehlung des Beirats gibt die Koordinierungsstelle das Thema an das "
        "Entscheidungsgremium zurück, das es beschließt, ändert, ablehnt oder zurückgibt. "
        "Aus: Mit der Empfehlung des Beirats ist das Thema abgeschlossen (so endet der Weg in "
        "der Kooperationsvereinbarung, II.1.d)."
    ),
    kind="bool",
    default=True,
    group=_("Themen"),
)
