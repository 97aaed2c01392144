from django import forms
from django.utils.translation import gettext_lazy as _

from uebergang.core.forms import KernForm
from uebergang.networks.forms import VersionedModelForm
from uebergang.networks.models import ConstituencySeat, Partner, Person

from .models import Body, BodySeat, MemberRole, Membership, OfficeKind


class BodyForm(VersionedModelForm):
    class Meta:
        model = Body
        fields = [
            "name",
            "short_name",
            "kind",
            "topic_area",
            "description",
            "invitation_period_days",
            "quorum_rule",
            "quorum_minimum",
            "valid_from",
        ]
        labels = {"valid_from": _("besteht seit")}
        help_texts = {
            "short_name": _(
                "Damit beginnen die Nummern seiner Beschlüsse, etwa „BR“ in „BR 2026/04“. Leer: "
                "EG beim Entscheidungsgremium, BR beim Beirat, sonst die Anfangsbuchstaben."
            ),
            "topic_area": _("Bei Arbeitsgremien: das Thema, an dem es arbeitet."),
            "invitation_period_days": _(
                "So viele Tage vor einer Sitzung soll die Einladung verschickt sein."
            ),
            "quorum_minimum": _("Nur bei der Regel „mindestens eine feste Zahl“."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DissolveForm(KernForm):
    valid_to = forms.DateField(label=_("Letzter Tag des Gremiums"))


class BodySeatForm(KernForm):
    partner = forms.ModelChoiceField(
        label=_("Sitz für Partner"),
        queryset=Partner.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    constituency_seat = forms.ModelChoiceField(
        label=_("oder: Sitz für Sammelvertretung"),
        queryset=ConstituencySeat.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    voting = forms.BooleanField(label=_("stimmberechtigt"), required=False, initial=True)
    valid_from = forms.DateField(label=_("ab"))

    def clean(self):
        data = super().clean()
        if self.has_error("partner") or self.has_error("constituency_seat"):
            return data
        if bool(data.get("partner")) == bool(data.get("constituency_seat")):
            self.add_error(
                "partner", _("Bitte wählen Sie entweder einen Partner oder eine Sammelvertretung.")
            )
        return data


class MembershipForm(KernForm):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), to_field_name="public_id"
    )
    role = forms.ChoiceField(label=_("Rolle"), choices=MemberRole.choices)
    seat = forms.ModelChoiceField(
        label=_("Sitz"),
        queryset=BodySeat.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_(
            "Für Mitglieder und Vertreter/innen; Expert/innen und Moderation haben keinen Sitz."
        ),
    )
    substitute_for = forms.ModelChoiceField(
        label=_("vertritt (nur bei Vertreter/innen)"),
        queryset=Membership.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    valid_from = forms.DateField(label=_("ab"))
    valid_to = forms.DateField(
        label=_("bis"),
        required=False,
        help_text=_("Bei hinzugezogenen Expert/innen endet der Zugang mit diesem Tag."),
    )
    note = forms.CharField(label=_("Vermerk"), max_length=500, required=False)


class OfficeForm(KernForm):
    membership = forms.ModelChoiceField(
        label=_("Mitglied"), queryset=Membership.objects.none(), to_field_name="public_id"
    )
    kind = forms.ChoiceField(label=_("Amt"), choices=OfficeKind.choices)
    valid_from = forms.DateField(label=_("ab"))
    valid_to = forms.DateField(label=_("bis"), required=False)
