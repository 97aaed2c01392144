from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from uebergang.bodies.models import Body
from uebergang.core.forms import DateInput, KernForm, VersionField
from uebergang.networks.forms import VersionedModelForm

from .models import TOPIC_AREAS, Outcome, Topic

AREA_CHOICES = [("", _("– keiner –")), *TOPIC_AREAS]


class TopicForm(VersionedModelForm):
    class Meta:
        model = Topic
        fields = ["title", "description", "reason", "topic_area", "desired_date", "confidential"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "desired_date": DateInput(),
        }
        help_texts = {
            "reason": _("Welcher aktuelle Bedarf ist der Anlass?"),
            "topic_area": _("Der Themenkomplex des Handlungsstandards (II.2.2 a–j)."),
            "confidential": _(
                "Nur die Koordinierungsstelle und die Gremien, bei denen das Thema gerade liegt, "
                "sehen es."
            ),
        }


class TopicOpenForm(TopicForm):
    board = forms.ModelChoiceField(
        label=_("Entscheidungsgremium"),
        queryset=Body.objects.none(),
        to_field_name="public_id",
        empty_label=None,
    )

    class Meta(TopicForm.Meta):
        fields = ["board", *TopicForm.Meta.fields]

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards if boards is not None else Body.objects.none()


class ReferAdvisoryForm(KernForm):
    version = VersionField(required=False)
    advisory_board = forms.ModelChoiceField(
        label=_("Beirat"), queryset=Body.objects.none(), to_field_name="public_id", empty_label=None
    )
    due_date = forms.DateField(label=_("Stellungnahmen bis"), widget=DateInput())
    note = forms.CharField(
        label=_("Begleittext an den Beirat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisory_board"].queryset = (
            boards if boards is not None else Body.objects.none()
        )


class StatementForm(KernForm):
    version = VersionField(required=False)
    text = forms.CharField(
        label=_("Stellungnahme"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Die Sicht Ihrer Institution auf das Thema."),
    )


class NoteForm(KernForm):
    version = VersionField(required=False)
    note = forms.CharField(
        label=_("Vermerk"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(KernForm):
    version = VersionField(required=False)
    note = forms.CharField(
        label=_("Grund"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReferWorkingForm(KernForm):
    version = VersionField(required=False)
    working_group = forms.ModelChoiceField(
        label=_("Arbeitsgremium"),
        queryset=Body.objects.none(),
        to_field_name="public_id",
        empty_label=None,
    )
    mandate = forms.CharField(
        label=_("Arbeitsauftrag"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Was soll das Arbeitsgremium erarbeiten?"),
    )
    due_date = forms.DateField(label=_("Ergebnis bis"), widget=DateInput())

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = (
            groups if groups is not None else Body.objects.none()
        )


class ReasonForm(KernForm):
    version = VersionField(required=False)
    note = forms.CharField(
        label=_("Begründung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnForm(KernForm):
    version = VersionField(required=False)
    due_date = forms.DateField(label=_("Empfehlung bis"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Begleittext an den Beirat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ResultForm(KernForm):
    version = VersionField(required=False)
    result = forms.CharField(
        label=_("Ergebnis"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Was das Arbeitsgremium erarbeitet hat, wie es beschlossen wurde."),
    )


class RecommendForm(KernForm):
    version = VersionField(required=False)
    recommendation = forms.CharField(
        label=_("Empfehlung des Beirats"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Der Wortlaut, wie der Beirat ihn beschlossen hat."),
    )
    due_date = forms.DateField(label=_("Entscheidung bis"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Begleittext an das Entscheidungsgremium"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, final: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not final:  # the recommendation ends the journey: nothing goes on to the board
            del self.fields["due_date"]
            del self.fields["note"]


DECISION_CHOICES = [
    (Outcome.ADOPTED, _("beschlossen (wie empfohlen)")),
    (Outcome.CHANGED, _("mit Änderungen beschlossen")),
    (Outcome.REJECTED, _("abgelehnt")),
    (Outcome.SENT_BACK, _("zur weiteren Bearbeitung zurückgegeben (neue Runde)")),
]


class DecisionForm(KernForm):
    version = VersionField(required=False)
    outcome = forms.ChoiceField(
        label=_("Entscheidung des Entscheidungsgremiums"),
        choices=DECISION_CHOICES,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Wortlaut"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Bei Änderungen: der Beschluss, wie er gefasst wurde. Bei einer Rückgabe: was noch "
            "zu bearbeiten ist."
        ),
    )


class DocumentForm(KernForm):
    version = VersionField(required=False)
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
        label=_("Titel"), max_length=300, required=False, help_text=_("Ohne Angabe: der Dateiname.")
    )


class AgendaForm(KernForm):
    meeting = forms.ModelChoiceField(
        label=_("Sitzung"),
        queryset=None,
        empty_label=None,
        help_text=_("Kommende Sitzungen der Gremien, bei denen das Thema gerade liegt."),
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.body.name}: {m.title}, {date_format(timezone.localtime(m.starts_at), 'd.m.Y H:i')}"
        )
