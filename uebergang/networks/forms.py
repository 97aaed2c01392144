from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from uebergang.core.forms import KernForm, KernModelForm, VersionField
from uebergang.core.models import Network
from uebergang.core.uploads import limit_text

from .models import ConstituencySeat, EndReason, Partner, Person


class VersionedModelForm(KernModelForm):
    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def validate_unique(self) -> None:
        """Uniqueness is the service's decision (with a clear message)."""

    def validate_constraints(self) -> None:  # type: ignore[override]
        """Constraints are checked by the service (and the database)."""


class PartnerForm(VersionedModelForm):
    class Meta:
        model = Partner
        fields = [
            "name",
            "short_name",
            "kind",
            "is_party",
            "valid_from",
            "description",
            "address",
            "email",
            "phone",
            "website",
        ]
        labels = {"valid_from": _("Partner seit")}
        help_texts = {
            "name": _(
                "Eine Änderung hier berichtigt den Namen. Für eine Umbenennung ab einem Stichtag nutzen Sie „Umbenennen“."
            ),
            "is_party": _(
                "Die Institution hat die Kooperationsvereinbarung unterzeichnet (oder ist eine Gruppe, die durch andere vertreten wird)."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }


class PartnerContactForm(VersionedModelForm):
    """What a partner's representative may correct."""

    class Meta:
        model = Partner
        fields = ["address", "email", "phone", "website"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class RenameForm(KernForm):
    name = forms.CharField(label=_("Neuer Name"), max_length=200)
    valid_from = forms.DateField(
        label=_("Gilt ab"), help_text=_("Bis zum Vortag bleibt der bisherige Name gültig.")
    )


class EndPartnerForm(KernForm):
    valid_to = forms.DateField(label=_("Letzter Tag als Partner"))
    reason = forms.ChoiceField(
        label=_("Grund"),
        choices=[
            (EndReason.LEFT, EndReason.LEFT.label),
            (EndReason.DISSOLVED, EndReason.DISSOLVED.label),
        ],
    )
    note = forms.CharField(label=_("Vermerk"), max_length=500, required=False)


class SuccessionForm(KernForm):
    date = forms.DateField(
        label=_("Nachfolge wirksam ab"), help_text=_("Der bisherige Partner endet am Vortag.")
    )
    successor = forms.ModelChoiceField(
        label=_("Nachfolger (bestehender Partner)"),
        queryset=Partner.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("Wählen Sie einen bestehenden Partner oder legen Sie unten einen neuen an."),
    )
    new_successor_name = forms.CharField(
        label=_("oder: Name eines neuen Nachfolgers"), max_length=200, required=False
    )
    take_over_seats = forms.BooleanField(
        label=_("Zuordnungen zu Sammelvertretungen übernehmen"), required=False, initial=True
    )
    note = forms.CharField(label=_("Vermerk"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("successor") and data.get("new_successor_name"):
            raise forms.ValidationError(
                _(
                    "Bitte wählen Sie entweder einen bestehenden Nachfolger oder geben Sie einen neuen Namen an, nicht beides."
                )
            )
        if not data.get("successor") and not (data.get("new_successor_name") or "").strip():
            self.add_error(
                "successor",
                _("Bitte wählen Sie einen Nachfolger oder geben Sie den Namen eines neuen an."),
            )
        return data


class RepresentationForm(KernForm):
    institution = forms.ModelChoiceField(
        label=_("durch Institution"),
        queryset=Partner.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_(
            "Zum Beispiel vertritt die Gemeinde Bad Grund (Harz) die Städte und Gemeinden."
        ),
    )
    person = forms.ModelChoiceField(
        label=_("durch Person"),
        queryset=Person.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    function = forms.CharField(
        label=_("in der Funktion"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel „Schulleitung“ oder „Geschäftsführung“."),
    )
    valid_from = forms.DateField(label=_("gültig ab"))
    valid_to = forms.DateField(label=_("gültig bis"), required=False)
    note = forms.CharField(label=_("Vermerk"), max_length=500, required=False)


class PersonForm(VersionedModelForm):
    class Meta:
        model = Person
        fields = [
            "title",
            "first_name",
            "last_name",
            "function",
            "organisation",
            "email",
            "phone",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class SeatForm(VersionedModelForm):
    class Meta:
        model = ConstituencySeat
        fields = ["name", "description", "valid_from"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SeatAssignForm(KernForm):
    partner = forms.ModelChoiceField(
        label=_("Institution"), queryset=Partner.objects.none(), to_field_name="public_id"
    )
    valid_from = forms.DateField(label=_("zugeordnet ab"))


class SeatHoldingForm(KernForm):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), to_field_name="public_id"
    )
    valid_from = forms.DateField(label=_("ab"))


class NetworkForm(VersionedModelForm):
    class Meta:
        model = Network
        fields = ["region", "description", "coordination_office", "email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class PartnerFilterForm(KernForm):
    q = forms.CharField(label=_("Suche"), required=False)
    art = forms.ChoiceField(label=_("Art"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("aktiv")),
            ("former", _("ehemalig")),
            ("all", _("alle")),
        ],
    )
    stichtag = forms.DateField(label=_("Stand am"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import PartnerKind

        self.fields["art"].choices = [("", _("alle Arten")), *PartnerKind.choices]


LOGO_HINT = _(
    "PNG oder JPEG, höchstens %(limit)s. Am besten ein breites Bild mit hellem oder "
    "durchsichtigem Hintergrund; es erscheint oben in Einladungen und Protokollen."
)


class LogoForm(KernForm):
    """Upload or replace the network's logo; `expected_sha256` is the checksum of the logo
    the page showed ("" for none), so that a change in between is a conflict. The bytes are
    checked by the service (`core.uploads`), not here."""

    file = forms.FileField(
        label=_("Neues Logo"),
        help_text=LOGO_HINT,
        error_messages={
            "required": _("Bitte wählen Sie eine Bilddatei aus."),
            "empty": _("Die Datei ist leer."),
            "invalid": _("Das ist keine Datei. Bitte wählen Sie eine Bilddatei aus."),
        },
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    expected_sha256 = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    back = forms.ChoiceField(
        widget=forms.HiddenInput,
        required=False,
        choices=[("", ""), ("einstellungen", "einstellungen")],
    )

    def __init__(self, *args, removing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = LOGO_HINT % {"limit": limit_text(settings.LOGO_MAX_BYTES)}
        if removing:
            self.fields["file"].required = False
