"""The settings of meetings (`core.netsettings`)."""

from django.utils.translation import gettext_lazy as _

from uebergang.core.netsettings import register_setting

REPLY_DEADLINE = "meetings.reply_deadline_days"

register_setting(
    REPLY_DEADLINE,
    label=_("Antwortfrist für Einladungen (Tage vor der Sitzung)"),
    help_text=_(
        "Bis wann die Eingeladenen antworten sollen; erscheint bei ihnen als Frist in „Meine "
        "Aufgaben“. Leer: keine Frist."
    ),
    kind="int",
    default=None,
    minimum=1,
    maximum=60,
    group=_("Sitzungen"),
)
