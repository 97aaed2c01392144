"""Meetings of the bodies (agenda, documents, invitations with replies and delivery state,
attendance, minutes with tasks and corrections), the annual network day with registrations,
and secret calendar feeds."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from uebergang.bodies.models import Body, BodySeat, Membership
from uebergang.core.models import NetworkScopedModel, choice_label
from uebergang.networks.models import Partner, Person

# Files live under MEDIA_ROOT (var/media, outside the web root, never served by URL): only a
# view that checks permission hands them out.


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("geplant")
    INVITED = "invited", _("eingeladen")
    HELD = "held", _("durchgeführt")
    MINUTES_DRAFTED = "minutes_drafted", _("Protokoll im Entwurf")
    MINUTES_APPROVED = "minutes_approved", _("Protokoll genehmigt")
    CANCELLED = "cancelled", _("abgesagt")


class Meeting(NetworkScopedModel):
    """One meeting of a body; `sequence` counts the invitation updates (RFC 5545 SEQUENCE),
    the calendar UID derives from the public id and never changes."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("Gremium")
    )
    title = models.CharField(_("Titel"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=300, blank=True)
    online_url = models.URLField(_("Online-Zugang"), blank=True)
    description = models.TextField(_("Hinweise"), blank=True)
    # The coordination office's own words at the top of the invitation (mail and PDF), as
    # written for the last sending; formatted text (core.formatting).
    cover_text = models.TextField(_("Anschreiben"), blank=True)
    state = models.CharField(
        _("Stand"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    sequence = models.PositiveIntegerField(_("Zahl der Änderungen"), default=0)
    invited_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("abgesagt am"), null=True, blank=True)
    cancel_reason = models.CharField(_("Grund der Absage"), max_length=500, blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-starts_at", "id"]
        indexes = [
            models.Index(fields=["body", "starts_at"]),
            models.Index(fields=["network", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meetings_meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.label(self.title, self.starts_at)

    @staticmethod
    def label(title: str, starts_at: datetime.datetime) -> str:
        """How a meeting is named: "Beiratssitzung (12.03.2026)" (also for value rows)."""
        return f"{title} ({timezone.localtime(starts_at):%d.%m.%Y})"

    @property
    def state_label(self) -> str:
        return choice_label(MeetingState, self.state)

    @property
    def uid(self) -> str:
        return f"meeting-{self.public_id}@uebergang"

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def is_cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED

    @property
    def has_taken_place(self) -> bool:
        return self.state in (
            MeetingState.HELD,
            MeetingState.MINUTES_DRAFTED,
            MeetingState.MINUTES_APPROVED,
        )


class AgendaItem(NetworkScopedModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("Sitzung")
    )
    position = models.PositiveSmallIntegerField(_("Nummer"))
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Erläuterung"), blank=True)
    public = models.BooleanField(_("öffentlich"), default=True)
    presenter = models.CharField(_("Berichterstattung"), max_length=200, blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return f"TOP {self.position}: {self.title}"

    @property
    def number_label(self) -> str:
        """ "TOP 3:" in the current language, as the agenda's headings show it."""
        return gettext("TOP %(number)s:") % {"number": self.position}


class Document(NetworkScopedModel):
    """A file for a meeting (optionally for one agenda item), stored outside the web root."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("Sitzung")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("zu TOP"),
    )
    title = models.CharField(_("Titel"), max_length=300)
    file = models.FileField(_("Datei"), upload_to="documents/%Y/%m/", max_length=300)
    file_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=120)
    size = models.PositiveIntegerField(_("Dateigröße"))
    sha256 = models.CharField(_("Prüfwert der Datei"), max_length=64)

    HISTORY_EXCLUDE = NetworkScopedModel.HISTORY_EXCLUDE | {"file"}

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Unterlage")
        verbose_name_plural = _("Unterlagen")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class InvitationKind(models.TextChoices):
    INVITEE = "invitee", _("eingeladen")
    INFORMATION = "information", _("zur Information (Sammelvertretung)")


class Reply(models.TextChoices):
    NONE = "none", _("keine Antwort")
    ATTEND = "attend", _("nimmt teil")
    DECLINE = "decline", _("sagt ab")
    SUBSTITUTE = "substitute", _("schickt Vertreter/in")


class Delivery(models.TextChoices):
    PENDING = "pending", _("wird versendet")
    SENT = "sent", _("versendet")
    FAILED = "failed", _("fehlgeschlagen")
    NO_ADDRESS = "no_address", _("keine E-Mail-Adresse")


class DeliveryState(models.Model):
    """Where the e-mail to one recipient stands (`meetings.delivery`): the same for a
    meeting's and a network day's invitation."""

    delivery = models.CharField(
        _("Zustellung"), max_length=20, choices=Delivery.choices, default=Delivery.PENDING
    )
    delivered_sequence = models.IntegerField(_("zugestellte Fassung"), default=-1)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.CharField(_("letzter Fehler"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True)
    # Set while a worker sends (a claim): a second task for the same row skips meanwhile.
    sending_since = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("Versand begonnen")
    )

    HISTORY_EXCLUDE = NetworkScopedModel.HISTORY_EXCLUDE | {"sending_since"}
    EXCHANGE_EXCLUDE = ("sending_since",)  # a worker's claim, no data of the network

    class Meta:
        abstract = True

    @property
    def delivery_label(self) -> str:
        return choice_label(Delivery, self.delivery)


class Invitation(DeliveryState, NetworkScopedModel):
    """One recipient of a meeting's invitation: a person in the body (member, substitute,
    guest, moderation) who replies, or an institution assigned to a constituency seat that
    receives it for information (the regular information transfer, seed III)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("Sitzung")
    )
    kind = models.CharField(
        _("Art"), max_length=20, choices=InvitationKind.choices, default=InvitationKind.INVITEE
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("Person"),
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("Mitgliedschaft"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("Partner"),
    )
    name = models.CharField(_("Empfänger/in"), max_length=300)
    email = models.EmailField(_("E-Mail"), blank=True)
    reply = models.CharField(_("Antwort"), max_length=20, choices=Reply.choices, default=Reply.NONE)
    replied_at = models.DateTimeField(_("geantwortet am"), null=True, blank=True)
    reply_note = models.CharField(_("Bemerkung zur Antwort"), max_length=500, blank=True)
    # With the answer "substitute": which of the member's substitutes comes.
    substitute = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="standing_in",
        verbose_name=_("Vertreter/in"),
    )
    # A one-off substitute for this meeting only, named by the coordination office (a person
    # of the network who is no substitute in the body); they get an invitation of their own.
    substitute_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("einmalige Vertretung"),
    )

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="meetings_invitation_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "partner"],
                condition=Q(kind="information"),
                name="meetings_information_once_per_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reply_label(self) -> str:
        return choice_label(Reply, self.reply)

    @property
    def kind_label(self) -> str:
        return choice_label(InvitationKind, self.kind)


class Attendance(NetworkScopedModel):
    """A person present at a meeting; `seat` is the seat they voted for (a member on it, or a
    substitute standing in), `partner` the institution they came for (participation over the
    years)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("Sitzung")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("Person")
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("Mitgliedschaft"),
    )
    seat = models.ForeignKey(
        BodySeat,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("Sitz"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("Partner"),
    )
    note = models.CharField(_("Vermerk"), max_length=300, blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        ordering = ["person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(deleted_at__isnull=True),
                name="meetings_attendance_once",
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    CIRCULATED = "circulated", _("versandt zur Abstimmung")
    APPROVED = "approved", _("genehmigt")


class Minutes(NetworkScopedModel):
    """The minutes of a meeting: an opening text, one entry per agenda item; drafted by the
    coordination office, circulated, approved at a later meeting of the body. After approval
    they change only through a recorded correction."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("Sitzung")
    )
    state = models.CharField(
        _("Stand"), max_length=20, choices=MinutesState.choices, default=MinutesState.DRAFT
    )
    opening = models.TextField(_("Eröffnung und Formalien"), blank=True)
    closing = models.TextField(_("Sonstiges und Schluss"), blank=True)
    circulated_at = models.DateTimeField(_("versandt am"), null=True, blank=True)
    approved_at = models.DateTimeField(_("genehmigt am"), null=True, blank=True)
    approved_in = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("genehmigt in der Sitzung"),
    )

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Protokoll")
        verbose_name_plural = _("Protokolle")

    def __str__(self) -> str:
        return str(_("Protokoll: %(meeting)s") % {"meeting": self.meeting})

    @property
    def state_label(self) -> str:
        return choice_label(MinutesState, self.state)


class MinutesEntry(NetworkScopedModel):
    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="entries", verbose_name=_("Protokoll")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="minutes_entries",
        verbose_name=_("Tagesordnungspunkt"),
    )
    discussion = models.TextField(_("Beratung"), blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Protokollabschnitt")
        verbose_name_plural = _("Protokollabschnitte")
        ordering = ["agenda_item__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "agenda_item"], name="meetings_entry_once_per_item"
            )
        ]

    def __str__(self) -> str:
        return str(self.agenda_item)


class DecisionOutcome(models.TextChoices):
    ADOPTED = "adopted", _("angenommen")
    REJECTED = "rejected", _("abgelehnt")
    POSTPONED = "postponed", _("vertagt")
    NOTED = "noted", _("zur Kenntnis genommen")


class Decision(NetworkScopedModel):
    """A decision (Beschluss) taken on an agenda item: numbered per body and year
    ("BR 2026/04", the number given when it is recorded and never reused while it exists),
    its wording, the outcome and, where counted, the votes or *einstimmig*. It is part of the
    minutes: written while they are drafted, changed after their approval only by a recorded
    correction."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("Tagesordnungspunkt"),
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("Gremium")
    )
    year = models.PositiveSmallIntegerField(_("Jahr"))
    number = models.PositiveSmallIntegerField(_("laufende Nummer"))
    wording = models.TextField(_("Beschlusstext"))
    outcome = models.CharField(
        _("Ergebnis"),
        max_length=20,
        choices=DecisionOutcome.choices,
        default=DecisionOutcome.ADOPTED,
    )
    votes_yes = models.PositiveSmallIntegerField(_("Ja-Stimmen"), null=True, blank=True)
    votes_no = models.PositiveSmallIntegerField(_("Nein-Stimmen"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("Enthaltungen"), null=True, blank=True)
    unanimous = models.BooleanField(_("einstimmig"), default=False)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = ["year", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"], name="meetings_decision_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(unanimous=False) | Q(votes_no__isnull=True) | Q(votes_no=0),
                name="meetings_decision_unanimous_no_against",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.body.reference_prefix} {self.year}/{self.number:02d}"

    @property
    def outcome_label(self) -> str:
        return choice_label(DecisionOutcome, self.outcome)

    @property
    def has_counts(self) -> bool:
        return any(v is not None for v in (self.votes_yes, self.votes_no, self.votes_abstain))

    @property
    def votes_label(self) -> str:
        """ "einstimmig", "Ja 7 · Nein 1 · Enthaltung 2", both, or "" when not recorded."""
        parts = [str(_("einstimmig"))] if self.unanimous else []
        if self.has_counts:
            parts.append(
                str(_("Ja %(yes)s · Nein %(no)s · Enthaltung %(abstain)s"))
                % {
                    "yes": self.votes_yes or 0,
                    "no": self.votes_no or 0,
                    "abstain": self.votes_abstain or 0,
                }
            )
        return ", ".join(parts)

    @property
    def summary(self) -> str:
        """The decision as one text (what a correction keeps as before and after)."""
        result = self.outcome_label
        if self.votes_label:
            result = f"{result} ({self.votes_label})"
        return f"{self.wording}\n{_('Ergebnis')}: {result}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("in Arbeit")
    DONE = "done", _("erledigt")
    DROPPED = "dropped", _("entfallen")


# Statuses in which a task still needs doing (its traffic light can be red or amber).
TASK_PENDING = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)
# A task due within this many days and not yet in progress is at risk.
TASK_AT_RISK_DAYS = 14


def task_light(status: str, due: datetime.date | None, today: datetime.date) -> str:
    """The traffic light of a task: "overdue" (pending and past its day), "at_risk" (open,
    not in progress, due within 14 days), else ""."""
    if due is None or status not in TASK_PENDING:
        return ""
    if due < today:
        return "overdue"
    if status == TaskStatus.OPEN and (due - today).days <= TASK_AT_RISK_DAYS:
        return "at_risk"
    return ""


TASK_LIGHT_LABELS = {"overdue": _("überfällig"), "at_risk": _("gefährdet")}


class ActionItem(NetworkScopedModel):
    """A task agreed in the minutes: what, who (a person, an institution or a name), by
    when; on an agenda item's entry and, where it carries out a decision, on that decision.
    It is followed up after the meeting: open, in progress, done or dropped, each change
    with a dated note (`TaskNote`)."""

    entry = models.ForeignKey(
        MinutesEntry,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("Protokolleintrag"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("zum Beschluss"),
    )
    description = models.CharField(_("Aufgabe"), max_length=500)
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("zuständig (Person)"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("zuständige Institution"),
    )
    owner_text = models.CharField(_("zuständig"), max_length=200, blank=True)
    due = models.DateField(_("fällig bis"), null=True, blank=True)
    status = models.CharField(
        _("Stand"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def done(self) -> bool:
        return self.status == TaskStatus.DONE

    @property
    def status_label(self) -> str:
        return choice_label(TaskStatus, self.status)

    @property
    def light(self) -> str:
        return task_light(self.status, self.due, timezone.localdate())

    @property
    def light_label(self) -> str:
        return str(TASK_LIGHT_LABELS.get(self.light, ""))

    @property
    def owner_name(self) -> str:
        """Who is responsible: the person, else the name given; the institution after it."""
        name = str(self.owner) if self.owner_id else self.owner_text
        if self.partner_id:
            partner = str(self.partner)
            return f"{name} ({partner})" if name else partner
        return name


class TaskNote(NetworkScopedModel):
    """One change of a task's status, with the day, who made it and why."""

    task = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="notes", verbose_name=_("Aufgabe")
    )
    status = models.CharField(_("Stand"), max_length=20, choices=TaskStatus.choices)
    note = models.TextField(_("Vermerk"), blank=True)
    written_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_notes",
        verbose_name=_("eingetragen von"),
    )
    written_by_name = models.CharField(_("eingetragen von (Name)"), max_length=200)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Vermerk zur Aufgabe")
        verbose_name_plural = _("Vermerke zu Aufgaben")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.task}: {self.status_label}"

    @property
    def status_label(self) -> str:
        return choice_label(TaskStatus, self.status)


class MinutesCorrection(NetworkScopedModel):
    """A change to approved minutes: which text, before and after, why."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("Protokoll")
    )
    entry = models.ForeignKey(
        MinutesEntry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("Protokolleintrag"),
    )
    decision = models.ForeignKey(
        "Decision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("Beschluss"),
    )
    field = models.CharField(_("Feld"), max_length=40)
    before = models.TextField(_("vorher"))
    after = models.TextField(_("nachher"))
    reason = models.CharField(_("Begründung"), max_length=500)
    actor_name = models.CharField(_("von"), max_length=200)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Berichtigung")
        verbose_name_plural = _("Berichtigungen")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.reason


# --- network day -----------------------------------------------------------------------------


class NetworkDayState(models.TextChoices):
    PLANNED = "planned", _("geplant")
    INVITED = "invited", _("eingeladen")
    HELD = "held", _("durchgeführt")
    CANCELLED = "cancelled", _("abgesagt")


class NetworkDay(NetworkScopedModel):
    """The annual network day (seed IV): programme, invitation to every partner institution,
    registrations per institution and person, attendance."""

    title = models.CharField(_("Titel"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=300, blank=True)
    programme = models.TextField(_("Programm"), blank=True)
    registration_until = models.DateField(_("Anmeldung bis"), null=True, blank=True)
    state = models.CharField(
        _("Stand"), max_length=20, choices=NetworkDayState.choices, default=NetworkDayState.PLANNED
    )
    sequence = models.PositiveIntegerField(_("Zahl der Änderungen"), default=0)
    invited_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Netzwerktag")
        verbose_name_plural = _("Netzwerktage")
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meetings_networkday_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    @property
    def state_label(self) -> str:
        return choice_label(NetworkDayState, self.state)

    @property
    def uid(self) -> str:
        return f"networkday-{self.public_id}@uebergang"

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()


class NetworkDayInvitation(DeliveryState, NetworkScopedModel):
    """The invitation of one partner institution to a network day (to its contact address)."""

    network_day = models.ForeignKey(
        NetworkDay,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("Netzwerktag"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="network_day_invitations",
        verbose_name=_("Partner"),
    )
    name = models.CharField(_("Empfänger/in"), max_length=300)
    email = models.EmailField(_("E-Mail"), blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Einladung zum Netzwerktag")
        verbose_name_plural = _("Einladungen zum Netzwerktag")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network_day", "partner"], name="meetings_networkday_invite_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Registration(NetworkScopedModel):
    """A person registered for a network day, for an institution; attendance recorded on the
    day."""

    network_day = models.ForeignKey(
        NetworkDay,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("Netzwerktag"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("Institution"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("Person"),
    )
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail"), blank=True)
    attended = models.BooleanField(_("teilgenommen"), null=True, blank=True)
    note = models.CharField(_("Vermerk"), max_length=300, blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network_day", "person"],
                condition=Q(person__isnull=False, deleted_at__isnull=True),
                name="meetings_registration_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- calendar feeds --------------------------------------------------------------------------


class CalendarFeed(NetworkScopedModel):
    """A secret iCal address for one body's meetings or for one person's meetings (all bodies
    they sit in). Only the SHA-256 of the token is stored; the address is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("Benutzerkonto"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        verbose_name=_("Gremium"),
    )
    name = models.CharField(_("Bezeichnung"), max_length=200)
    prefix = models.CharField(max_length=12, unique=True, verbose_name=_("Kennung"))
    token_hash = models.CharField(
        max_length=64, unique=True, verbose_name=_("gespeicherter Schlüssel")
    )
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("zuletzt abgerufen"), null=True, blank=True)

    HISTORY_EXCLUDE = NetworkScopedModel.HISTORY_EXCLUDE | {"token_hash", "last_used_at"}

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Kalenderabo")
        verbose_name_plural = _("Kalenderabos")
        ordering = ["-created", "id"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
