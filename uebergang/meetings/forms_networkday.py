"""Forms of the network day (create/edit, registration, attendance) and of the calendar
feeds page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uebergang.bodies.models import Body
from uebergang.core.forms import KernForm, VersionField
from uebergang.networks.models import Partner, Person

from .forms import TimeInput, check_end_after_start, combine, local_times


class NetworkDayForm(KernForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    date = forms.DateField(label=_("Datum"))
    start_time = forms.TimeField(label=_("Beginn (Uhrzeit)"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Ende (Uhrzeit)"), widget=TimeInput)
    place = forms.CharField(label=_("Ort"), max_length=300, required=False)
    programme = forms.CharField(
        label=_("Programm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Ein Programmpunkt je Zeile, z. B. „10:00 Begrüßung“."),
    )
    registration_until = forms.DateField(
        label=_("Anmeldung bis"),
        required=False,
        help_text=_("Danach können sich Mitglieder nicht mehr selbst anmelden."),
    )
    version = VersionField(required=False)

    @classmethod
    def initial_for(cls, day: Any) -> dict[str, Any]:
        times = local_times(day)
        return {
            "title": day.title,
            "date": times["date"],
            "start_time": times["start"],
            "end_time": times["end"],
            "place": day.place,
            "programme": day.programme,
            "registration_until": day.registration_until,
            "version": day.version,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_end_after_start(self, "start_time", "end_time")
        return data

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "starts_at": combine(d["date"], d["start_time"]),
            "ends_at": combine(d["date"], d["end_time"]),
            "place": d.get("place", ""),
            "programme": d.get("programme", ""),
            "registration_until": d.get("registration_until"),
        }


class SelfRegistrationForm(KernForm):
    """A member registers themselves (their person in the registry)."""

    partner = forms.ModelChoiceField(
        label=_("Ich komme für die Institution"),
        queryset=Partner.objects.none(),
        to_field_name="public_id",
    )
    note = forms.CharField(
        label=_("Hinweis an die Koordinierungsstelle"),
        max_length=300,
        required=False,
        help_text=_("Zum Beispiel: Ernährung, Barrierefreiheit."),
    )


class RegistrationForm(KernForm):
    """The coordination office registers anyone: a person from the registry, or by name."""

    partner = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Partner.objects.none(),
        to_field_name="public_id",
        required=False,
        help_text=_("Leer lassen, wenn die Person für ihre eigene Organisation kommt."),
    )
    person = forms.ModelChoiceField(
        label=_("Person aus dem Verzeichnis"),
        queryset=Person.objects.none(),
        to_field_name="public_id",
        required=False,
    )
    name = forms.CharField(
        label=_("oder: Name"),
        max_length=200,
        required=False,
        help_text=_("Für Personen, die nicht im Verzeichnis stehen."),
    )
    email = forms.EmailField(label=_("E-Mail"), required=False)
    note = forms.CharField(label=_("Vermerk"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_error("person") or self.has_error("name"):
            return data
        if not data.get("person") and not (data.get("name") or "").strip():
            self.add_error(
                "person", _("Bitte wählen Sie eine Person oder geben Sie einen Namen an.")
            )
        return data


class ConfirmForm(KernForm):
    """A confirmation without fields (invite, cancel)."""


class FeedForm(KernForm):
    body = forms.ModelChoiceField(
        label=_("Sitzungen von"),
        queryset=Body.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("alle meine Sitzungen"),
        help_text=_("Ein Gremium, oder alle Gremien, in denen Sie sitzen."),
    )
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=200,
        required=False,
        help_text=_("Damit Sie das Abo später wiedererkennen, z. B. „Outlook im Büro“."),
    )
