"""Topics (Themen) that travel between the bodies (seed II.1.d–e), the hand-overs between
them (Weitergaben), each with a frozen copy of what was handed over, and the advisory board's
statements (Stellungnahmen), one per seat.

Where a topic stands is its `state` (the journey, `journey.py` and docs/topics.md); the body
it waits with is `body`. Pausing keeps the state and sets `paused_at`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from uebergang.bodies.models import Body, BodySeat
from uebergang.core.models import NetworkScopedModel, choice_label
from uebergang.networks.models import Person

# The topic areas of the practice guide (seed II.2.2 a–j).
TOPIC_AREAS = (
    ("a", _("a. Kooperation innerhalb und außerhalb der Schule")),
    ("b", _("b. Formale und inhaltliche Übergabe der Schülerinnen und Schüler")),
    ("c", _("c. Abstimmung von Berufsorientierenden Maßnahmen")),
    ("d", _("d. Transparenz")),
    ("e", _("e. Informationsaustausch und Vernetzung")),
    ("f", _("f. Gender")),
    ("g", _("g. Kompetenzen der Jugendlichen")),
    ("h", _("h. Migration")),
    ("i", _("i. Elternarbeit")),
    ("j", _("j. Qualität der Angebote am Übergang")),
)


class TopicState(models.TextChoices):
    BOARD = "board", _("beim Entscheidungsgremium")
    STATEMENTS = "statements", _("Stellungnahmen im Beirat")
    WORKING = "working", _("bei den Arbeitsgremien")
    RECOMMENDATION = "recommendation", _("Empfehlung im Beirat")
    DECISION = "decision", _("Entscheidung im Entscheidungsgremium")
    DECIDED = "decided", _("entschieden")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class Outcome(models.TextChoices):
    """How a topic's journey ended, or a round of it (sent back)."""

    ADOPTED = "adopted", _("beschlossen")
    CHANGED = "changed", _("mit Änderungen beschlossen")
    REJECTED = "rejected", _("abgelehnt")
    SENT_BACK = "sent_back", _("zur weiteren Bearbeitung zurückgegeben")
    RECOMMENDED = "recommended", _("mit der Empfehlung des Beirats abgeschlossen")


class Topic(NetworkScopedModel):
    """A concrete subject the decision board gives into the network."""

    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    reason = models.TextField(_("Anlass (aktueller Bedarf)"), blank=True)
    topic_area = models.CharField(_("Themenkomplex"), max_length=1, choices=TOPIC_AREAS, blank=True)
    desired_date = models.DateField(_("gewünscht bis"), null=True, blank=True)
    confidential = models.BooleanField(
        _("vertraulich"),
        default=False,
        help_text=_("Nur die Gremien, bei denen das Thema gerade liegt, sehen es."),
    )
    state = models.CharField(
        _("Stand"), max_length=20, choices=TopicState.choices, default=TopicState.BOARD
    )
    state_since = models.DateTimeField(_("in diesem Stand seit"))
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="topics", verbose_name=_("liegt bei")
    )
    origin = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="topics_opened",
        verbose_name=_("eingebracht vom Gremium"),
    )
    opened_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topics_opened",
        verbose_name=_("eingebracht von"),
    )
    on_behalf = models.BooleanField(
        _("von der Koordinierungsstelle im Auftrag eingebracht"), default=False
    )
    paused_at = models.DateTimeField(_("pausiert seit"), null=True, blank=True)
    # A topic sent back by the decision board starts another round (2, 3, …).
    round = models.PositiveSmallIntegerField(_("Runde"), default=1)
    outcome = models.CharField(_("Ergebnis"), max_length=20, choices=Outcome.choices, blank=True)
    end_note = models.CharField(_("Vermerk zum Abschluss"), max_length=500, blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["network", "state"], name="topics_topic_state")]

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        return choice_label(TopicState, self.state)

    @property
    def outcome_label(self) -> str:
        return choice_label(Outcome, self.outcome) if self.outcome else ""

    @property
    def topic_area_label(self) -> str:
        return str(dict(TOPIC_AREAS).get(self.topic_area, ""))


class ReferralRole(models.TextChoices):
    """What the receiving body is asked to do (OParl: the consultation's role)."""

    STATEMENTS = "statements", _("Anhörung: Stellungnahmen")
    MANDATE = "mandate", _("Arbeitsauftrag")
    RECOMMENDATION = "recommendation", _("Empfehlung")
    DECISION = "decision", _("Entscheidung")


class Referral(NetworkScopedModel):
    """One hand-over of a topic from one body to another, always through the coordination
    office, with exactly the content handed over, frozen."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("Thema")
    )
    number = models.PositiveSmallIntegerField(_("Nr."))
    from_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("von")
    )
    to_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="referrals_in", verbose_name=_("an")
    )
    role = models.CharField(_("Auftrag"), max_length=20, choices=ReferralRole.choices)
    handed_at = models.DateTimeField(_("übergeben am"))
    handed_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("übergeben von"),
    )
    handed_by_name = models.CharField(_("übergeben von (Name)"), max_length=200)
    due_date = models.DateField(_("Frist"), null=True, blank=True)
    note = models.TextField(_("Begleittext"), blank=True)
    snapshot_title = models.CharField(_("Titel (übergeben)"), max_length=200)
    snapshot_description = models.TextField(_("Beschreibung (übergeben)"), blank=True)
    snapshot_reason = models.TextField(_("Anlass (übergeben)"), blank=True)
    # A working group's mandate (what to work out) and the result it returned; on a
    # hand-over for the recommendation its text, on one for the decision the decision's
    # wording with its outcome.
    mandate = models.TextField(_("Arbeitsauftrag"), blank=True)
    result = models.TextField(_("Ergebnis"), blank=True)
    result_at = models.DateTimeField(_("Ergebnis vom"), null=True, blank=True)
    result_by_name = models.CharField(_("Ergebnis eingetragen von"), max_length=200, blank=True)
    outcome = models.CharField(
        _("Entscheidung"), max_length=20, choices=Outcome.choices, blank=True
    )
    # Set when the topic moves on from the receiving body (or is withdrawn): while empty,
    # the body works on it.
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Weitergabe")
        verbose_name_plural = _("Weitergaben")
        ordering = ["topic", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "number"], name="topics_referral_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.from_body} → {self.to_body}"

    @property
    def role_label(self) -> str:
        return choice_label(ReferralRole, self.role)

    @property
    def outcome_label(self) -> str:
        return choice_label(Outcome, self.outcome) if self.outcome else ""


class Statement(NetworkScopedModel):
    """A seat's point of view on a topic in the advisory board: one per seat and hand-over,
    written by the person on the seat, the partner's representative, the constituency
    seat's holder, or recorded by the coordination office."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="statements", verbose_name=_("Weitergabe")
    )
    seat = models.ForeignKey(
        BodySeat, on_delete=models.PROTECT, related_name="statements", verbose_name=_("Sitz")
    )
    text = models.TextField(_("Stellungnahme"))
    author = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("verfasst von"),
    )
    author_name = models.CharField(_("verfasst von (Name)"), max_length=200)
    by_office = models.BooleanField(_("von der Koordinierungsstelle eingetragen"), default=False)
    given_at = models.DateTimeField(_("abgegeben am"))

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Stellungnahme")
        verbose_name_plural = _("Stellungnahmen")
        ordering = ["referral", "given_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "seat"],
                condition=Q(deleted_at__isnull=True),
                name="topics_statement_one_per_seat",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Stellungnahme: %(seat)s") % {"seat": self.seat}


class FileFields(models.Model):
    """A stored file with what is known of it: its name as uploaded, type, size, SHA-256."""

    title = models.CharField(_("Titel"), max_length=300)
    file = models.FileField(_("Datei"), upload_to="topic-documents/%Y/%m/", max_length=300)
    file_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=120)
    size = models.PositiveIntegerField(_("Dateigröße"))
    sha256 = models.CharField(_("Prüfwert der Datei (SHA-256)"), max_length=64)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class TopicDocument(FileFields, NetworkScopedModel):
    """A file of the topic itself (not of a meeting), added while the topic is with the
    decision board, like its text; or, with `mandate`, a file of a working group's result,
    added with the result and handed back with it."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="documents", verbose_name=_("Thema")
    )
    mandate = models.ForeignKey(
        Referral,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="result_documents",
        verbose_name=_("zum Ergebnis des Arbeitsauftrags"),
    )

    HISTORY_EXCLUDE = NetworkScopedModel.HISTORY_EXCLUDE | {"file"}

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Unterlage zum Thema")
        verbose_name_plural = _("Unterlagen zum Thema")
        ordering = ["title", "id"]


class HandedDocument(FileFields, NetworkScopedModel):
    """A copy of a topic's file as it was handed over: its own stored file with the
    SHA-256 of the bytes handed over, untouched when the topic's file is removed later."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="documents", verbose_name=_("Weitergabe")
    )
    source = models.ForeignKey(
        TopicDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("Kopie von"),
    )

    HISTORY_EXCLUDE = NetworkScopedModel.HISTORY_EXCLUDE | {"file"}

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("übergebene Unterlage")
        verbose_name_plural = _("übergebene Unterlagen")
        ordering = ["referral", "title", "id"]


class AgendaLink(NetworkScopedModel):
    """A topic on a meeting's agenda: the agenda item that deals with it. Kept in topics
    (topics depend on meetings, never the reverse); the meeting page shows it through a
    panel."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="agenda_links", verbose_name=_("Thema")
    )
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem",
        on_delete=models.CASCADE,
        related_name="topic_link",
        verbose_name=_("Tagesordnungspunkt"),
    )

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Thema auf der Tagesordnung")
        verbose_name_plural = _("Themen auf Tagesordnungen")
        ordering = ["topic", "id"]

    def __str__(self) -> str:
        return str(self.topic)
