"""The form of the personal reply link (`views_links`): the answer, a note, the substitute
who comes (when the member has several) and the version of the invitation the page showed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uebergang.core.forms import KernForm, VersionField

from .models import Reply

LABELS = {
    Reply.ATTEND: _("Ich nehme teil"),
    Reply.DECLINE: _("Ich sage ab"),
    Reply.SUBSTITUTE: _("Mein/e Vertreter/in kommt"),
}


class LinkReplyForm(KernForm):
    reply = forms.ChoiceField(label=_("Ihre Antwort"), widget=forms.RadioSelect)
    substitute = forms.ChoiceField(
        label=_("Wer vertritt Sie?"), widget=forms.RadioSelect, required=False
    )
    note = forms.CharField(label=_("Bemerkung"), max_length=500, required=False)
    version = VersionField(required=False)

    def __init__(self, *args: Any, substitutes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answers = [Reply.ATTEND, Reply.DECLINE] + ([Reply.SUBSTITUTE] if substitutes else [])
        self.fields["reply"].choices = [(a.value, LABELS[a]) for a in answers]
        self.fields["substitute"].choices = [(str(m.public_id), str(m.person)) for m in substitutes]
        self.substitutes = {str(m.public_id): m for m in substitutes}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        several = len(self.substitutes) > 1
        if data.get("reply") == Reply.SUBSTITUTE and several and not data.get("substitute"):
            self.add_error("substitute", _("Bitte wählen Sie, wer Sie vertritt."))
        return data

    def chosen_substitute(self) -> Any:
        if self.cleaned_data.get("reply") != Reply.SUBSTITUTE:
            return None
        return self.substitutes.get(self.cleaned_data.get("substitute") or "")
