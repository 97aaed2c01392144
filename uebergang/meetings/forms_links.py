"""The form of the personal reply link (`views_links`): the answer, a note, the substitute
who comes (when the member has several) and the version of the invitation the page showed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from uebergang.core.forms import VersionField

from .forms import ReplyForm
from .models import Reply

LABELS = {
    Reply.ATTEND: _("Ich nehme teil"),
    Reply.DECLINE: _("Ich sage ab"),
    Reply.SUBSTITUTE: _("Mein/e Vertreter/in kommt"),
}


class LinkReplyForm(ReplyForm):
    """The answer as the personal link's page words it ("Ich nehme teil", …), with the
    version of the invitation the page showed; the substitute choice is `ReplyForm`'s."""

    labels = LABELS
    version = VersionField(required=False)
