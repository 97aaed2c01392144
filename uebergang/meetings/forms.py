"""Forms of the meetings' pages. Date and times are separate inputs, combined into aware
datetimes in Europe/Berlin (`starts_at`, `ends_at`)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from uebergang.bodies.models import Body
from uebergang.core.forms import KernForm, VersionField
from uebergang.networks.models import Partner, Person

from .models import AgendaItem, Decision, DecisionOutcome, Meeting, Reply, TaskStatus

BERLIN = ZoneInfo("Europe/Berlin")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def combine(day: datetime.date | None, time: datetime.time | None) -> datetime.datetime | None:
    """A date and a wall-clock time in Berlin as an aware datetime (None if one is missing)."""
    if day is None or time is None:
        return None
    return datetime.datetime.combine(day, time).replace(tzinfo=BERLIN)


def local_times(obj: Any) -> dict[str, Any]:
    """Initial values of the date / start / end inputs of an event (meeting, network day)."""
    from django.utils import timezone

    start = timezone.localtime(obj.starts_at, BERLIN)
    end = timezone.localtime(obj.ends_at, BERLIN)
    return {
        "date": start.date(),
        "start": start.time().replace(second=0, microsecond=0),
        "end": end.time().replace(second=0, microsecond=0),
    }


def check_end_after_start(form: forms.Form, start_field: str, end_field: str) -> None:
    start, end = form.cleaned_data.get(start_field), form.cleaned_data.get(end_field)
    if start and end and end <= start:
        form.add_error(end_field, _("Das Ende muss nach dem Beginn liegen."))


class MeetingForm(KernForm):
    """Plan or change a meeting. `body` only when planning from the meeting list."""

    body = forms.ModelChoiceField(
        label=_("Gremium"), queryset=Body.objects.none(), to_field_name="public_id"
    )
    title = forms.CharField(label=_("Titel"), max_length=200)
    date = forms.DateField(label=_("Datum"))
    start = forms.TimeField(label=_("Beginn (Uhrzeit)"), widget=TimeInput)
    end = forms.TimeField(label=_("Ende (Uhrzeit)"), widget=TimeInput)
    place = forms.CharField(label=_("Ort"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Online-Zugang"),
        required=False,
        assume_scheme="https",
        help_text=_("Die Adresse der Videokonferenz, falls online oder hybrid getagt wird."),
    )
    description = forms.CharField(
        label=_("Hinweise"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField(required=False)

    def __init__(self, *args: Any, with_body: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_body:
            del self.fields["body"]

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        return {
            "title": meeting.title,
            **local_times(meeting),
            "place": meeting.place,
            "online_url": meeting.online_url,
            "description": meeting.description,
            "version": meeting.version,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_end_after_start(self, "start", "end")
        return data

    def meeting_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "starts_at": combine(d["date"], d["start"]),
            "ends_at": combine(d["date"], d["end"]),
            "place": d.get("place", ""),
            "online_url": d.get("online_url", ""),
            "description": d.get("description", ""),
        }


class CancelForm(KernForm):
    reason = forms.CharField(
        label=_("Grund der Absage"),
        max_length=500,
        required=False,
        help_text=_("Steht in der Absage an alle Eingeladenen."),
    )


class AgendaItemForm(KernForm):
    title = forms.CharField(label=_("Titel"), max_length=300)
    description = forms.CharField(
        label=_("Erläuterung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    presenter = forms.CharField(label=_("Berichterstattung"), max_length=200, required=False)
    public = forms.BooleanField(
        label=_("öffentlich"),
        required=False,
        initial=True,
        help_text=_("Nicht öffentliche Punkte und ihre Unterlagen sehen nur die Mitglieder."),
    )
    version = VersionField(required=False)

    @staticmethod
    def initial_for(item: AgendaItem) -> dict[str, Any]:
        return {
            "title": item.title,
            "description": item.description,
            "presenter": item.presenter,
            "public": item.public,
            "version": item.version,
        }


class DocumentForm(KernForm):
    file = forms.FileField(
        label=_("Datei"),
        help_text=_("PDF- oder Office-Datei (Word, Excel, PowerPoint, OpenDocument)."),
        error_messages={
            "required": _("Bitte wählen Sie eine Datei aus."),
            "empty": _("Die Datei ist leer."),
            "invalid": _("Das ist keine Datei. Bitte wählen Sie eine Datei aus."),
        },
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=300,
        required=False,
        help_text=_("Ohne Angabe: der Dateiname."),
    )
    agenda_item = forms.ModelChoiceField(
        label=_("zu TOP"),
        queryset=AgendaItem.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("– zur ganzen Sitzung –"),
    )


class ReplyForm(KernForm):
    """An invitee's answer on the meeting's page (or the office's record of it): the
    substitute answer only when the member has a substitute that day, and with several the
    one who comes."""

    reply = forms.ChoiceField(label=_("Ihre Antwort"), widget=forms.RadioSelect)
    substitute = forms.ChoiceField(
        label=_("Wer vertritt Sie?"), widget=forms.RadioSelect, required=False
    )
    note = forms.CharField(label=_("Bemerkung"), max_length=500, required=False)

    labels: dict[str, Any] = {}  # the answers' labels where not those of `Reply`

    def __init__(self, *args: Any, substitutes: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        substitutes = list(substitutes)
        answers = [Reply.ATTEND, Reply.DECLINE] + ([Reply.SUBSTITUTE] if substitutes else [])
        self.fields["reply"].choices = [(a.value, self.labels.get(a, a.label)) for a in answers]
        self.fields["substitute"].choices = [(str(m.public_id), str(m.person)) for m in substitutes]
        self.substitutes = {str(m.public_id): m for m in substitutes}

    @property
    def choose_substitute(self) -> bool:
        return len(self.substitutes) > 1

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("reply") == Reply.SUBSTITUTE
            and self.choose_substitute
            and not data.get("substitute")
        ):
            self.add_error("substitute", _("Bitte wählen Sie, wer Sie vertritt."))
        return data

    def chosen_substitute(self) -> Any:
        if self.cleaned_data.get("reply") != Reply.SUBSTITUTE:
            return None
        return self.substitutes.get(self.cleaned_data.get("substitute") or "")


class AttendanceForm(KernForm):
    present = forms.MultipleChoiceField(
        label=_("Anwesend"), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = VersionField(required=False)


class MinutesForm(KernForm):
    """Opening, per agenda item the discussion, closing; the version loaded. The decisions
    are records of their own (`DecisionForm`)."""

    # formatted text (core.formatting); the form's hint says how (id "format-hint")
    opening = forms.CharField(
        label=_("Eröffnung und Formalien"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "format-hint"}),
    )
    closing = forms.CharField(
        label=_("Sonstiges und Schluss"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "format-hint"}),
    )
    version = VersionField(required=False)

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        closing = self.fields.pop("closing")
        version = self.fields.pop("version")
        for item in items:
            key = item.public_id.hex
            self.fields[f"discussion_{key}"] = forms.CharField(
                label=_("Beratung zu TOP %(n)s") % {"n": item.position},
                required=False,
                widget=forms.Textarea(
                    attrs={
                        "rows": 4,
                        "class": "kern-form-input__input",
                        "aria-describedby": "format-hint",
                    }
                ),
            )
        self.fields["closing"] = closing
        self.fields["version"] = version

    def item_fields(self) -> list[tuple[AgendaItem, Any]]:
        return [(item, self[f"discussion_{item.public_id.hex}"]) for item in self.items]

    def entries(self) -> dict[Any, dict[str, str]]:
        d = self.cleaned_data
        return {
            item.pk: {"discussion": d.get(f"discussion_{item.public_id.hex}", "")}
            for item in self.items
        }


class DecisionForm(KernForm):
    """A decision on an agenda item; with `correction` (approved minutes) a reason too."""

    wording = forms.CharField(
        label=_("Beschlusstext"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Der Wortlaut, wie er zur Abstimmung stand. Formatieren wie im Protokoll: **fett**, "
            "*kursiv*, eine Liste mit „- “ am Zeilenanfang."
        ),
    )
    outcome = forms.ChoiceField(
        label=_("Ergebnis"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    unanimous = forms.BooleanField(label=_("einstimmig"), required=False)
    votes_yes = forms.IntegerField(
        label=_("Ja-Stimmen"), required=False, min_value=0, max_value=9999
    )
    votes_no = forms.IntegerField(
        label=_("Nein-Stimmen"), required=False, min_value=0, max_value=9999
    )
    votes_abstain = forms.IntegerField(
        label=_("Enthaltungen"), required=False, min_value=0, max_value=9999
    )
    reason = forms.CharField(
        label=_("Begründung der Berichtigung"),
        max_length=500,
        required=False,
        help_text=_("Sie bleibt mit dem alten und neuen Stand beim Protokoll sichtbar."),
    )
    version = VersionField(required=False)

    def __init__(self, *args: Any, correction: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("votes_yes", "votes_no", "votes_abstain"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        if correction:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]

    def data_for_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            key: d.get(key)
            for key in ("wording", "outcome", "unanimous", "votes_yes", "votes_no", "votes_abstain")
        }


class TaskForm(KernForm):
    description = forms.CharField(label=_("Aufgabe"), max_length=500)
    owner = forms.ModelChoiceField(
        label=_("zuständig (Person)"),
        queryset=Person.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    owner_text = forms.CharField(
        label=_("oder: zuständig (Freitext)"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel „Koordinierungsstelle“ oder ein Arbeitsgremium."),
    )
    partner = forms.ModelChoiceField(
        label=_("zuständige Institution"),
        queryset=Partner.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("Wer die Institution vertritt, kann den Stand der Aufgabe eintragen."),
    )
    due = forms.DateField(label=_("fällig bis"), required=False)
    decision = forms.ModelChoiceField(
        label=_("zum Beschluss"),
        queryset=Decision.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("Wenn die Aufgabe einen Beschluss dieses Punktes umsetzt."),
    )


class TaskFollowUpForm(KernForm):
    status = forms.ChoiceField(
        label=_("Stand"), choices=TaskStatus.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Vermerk"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Was sich getan hat; wenn die Aufgabe entfällt: warum."),
    )
    version = VersionField(required=False)


class DecisionFilterForm(forms.Form):
    """The GET filter of the follow-up list (not a KERN form: rendered by hand)."""

    gremium = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, to_field_name="public_id"
    )
    institution = forms.ModelChoiceField(
        queryset=Partner.objects.none(), required=False, to_field_name="public_id"
    )
    jahr = forms.IntegerField(required=False, min_value=1990, max_value=2100)
    stand = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("offen", ""), ("ueberfaellig", ""), ("erledigt", "")],
    )


class SubstituteOnceForm(KernForm):
    person = forms.ModelChoiceField(
        label=_("Wer vertritt diesmal?"),
        queryset=Person.objects.none(),
        to_field_name="public_id",
        help_text=_("Eine Person aus dem Netzwerk; sie erhält eine eigene Einladung."),
    )
    note = forms.CharField(label=_("Bemerkung"), max_length=500, required=False)


class ApproveForm(KernForm):
    approved_in = forms.ModelChoiceField(
        label=_("genehmigt in der Sitzung"),
        queryset=Meeting.objects.none(),
        to_field_name="public_id",
    )


class CorrectionForm(KernForm):
    field = forms.ChoiceField(
        label=_("Feld"),
        choices=[
            ("opening", _("Eröffnung und Formalien")),
            ("discussion", _("Beratung")),
            ("closing", _("Sonstiges und Schluss")),
        ],
        help_text=_("Einen Beschluss berichtigen Sie bei dem Beschluss selbst."),
    )
    entry = forms.ChoiceField(
        label=_("Tagesordnungspunkt"),
        required=False,
        help_text=_("Nur bei der Beratung."),
    )
    text = forms.CharField(
        label=_("Neuer Text"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    reason = forms.CharField(label=_("Begründung"), max_length=500)
    version = VersionField(required=False)


class MeetingFilterForm(forms.Form):
    """The GET filter of the meeting list (not a KERN form: rendered by hand)."""

    gremium = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, to_field_name="public_id"
    )
    jahr = forms.IntegerField(required=False, min_value=1990, max_value=2100)
