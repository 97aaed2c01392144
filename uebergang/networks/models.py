"""The network registry: partners (institutions), how they are represented, people, and the
constituency seats with their assigned institutions. Names, representations, assignments and
seat holdings are dated facts (valid from / to); successions link an ended partner to the one
that carries on."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from uebergang.core.models import DatedMixin, NetworkScopedModel, choice_label


class PartnerKind(models.TextChoices):
    COUNTY = "county", _("Landkreis / kreisfreie Stadt")
    COUNCIL = "council", _("Kreistag oder Ausschuss")
    MUNICIPALITY = "municipality", _("Stadt / Gemeinde")
    SCHOOL_GENERAL = "school_general", _("Allgemeinbildende Schule")
    SCHOOL_VOCATIONAL = "school_vocational", _("Berufsbildende Schule")
    EMPLOYMENT_AGENCY = "employment_agency", _("Agentur für Arbeit")
    JOB_CENTRE = "job_centre", _("Jobcenter")
    CHAMBER = "chamber", _("Kammer")
    ASSOCIATION = "association", _("Verband / Kreishandwerkerschaft")
    UNION = "union", _("Gewerkschaft")
    STATE_AUTHORITY = "state_authority", _("Landesbehörde")
    GROUP = "group", _("Gruppe von Institutionen")
    OTHER = "other", _("Sonstige")


class EndReason(models.TextChoices):
    NONE = "", _("—")
    SUCCESSION = "succession", _("Nachfolge")
    LEFT = "left", _("ausgeschieden")
    DISSOLVED = "dissolved", _("aufgelöst")


class Partner(NetworkScopedModel, DatedMixin):
    """An institution in the network. `is_party` marks a party to the cooperation agreement;
    other institutions (a single school, a town) take part through a party or a seat."""

    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=60, blank=True)
    kind = models.CharField(
        _("Art"), max_length=30, choices=PartnerKind.choices, default=PartnerKind.OTHER
    )
    is_party = models.BooleanField(
        _("Kooperationspartner (hat die Vereinbarung unterzeichnet)"), default=True
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    address = models.TextField(_("Anschrift"), blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=60, blank=True)
    website = models.URLField(_("Website"), blank=True)
    end_reason = models.CharField(
        _("Grund des Endes"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("Vermerk zum Ende"), max_length=500, blank=True)

    class Meta(NetworkScopedModel.Meta, DatedMixin.Meta):
        verbose_name = pgettext_lazy("Einzahl", "Partner")
        verbose_name_plural = _("Partner")
        ordering = ["name"]
        indexes = [models.Index(fields=["network", "name"], name="networks_partner_by_name")]
        constraints = [
            *DatedMixin.Meta.constraints,
            # `name` is the current name (a rename lives from its day on, never in the
            # future); `PartnerName` keeps the earlier ones.
            models.UniqueConstraint(
                Lower("name"),
                "network",
                condition=Q(valid_to__isnull=True, deleted_at__isnull=True),
                name="networks_partner_active_name_unique",
                violation_error_message=_("Einen aktiven Partner mit diesem Namen gibt es schon."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return choice_label(PartnerKind, self.kind)

    @property
    def end_reason_label(self) -> str:
        return choice_label(EndReason, self.end_reason)


class PartnerName(NetworkScopedModel, DatedMixin):
    """A partner's name over time: a rename closes one row and opens the next."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="names", verbose_name=_("Partner")
    )
    name = models.CharField(_("Name"), max_length=200)

    class Meta(NetworkScopedModel.Meta, DatedMixin.Meta):
        verbose_name = _("Name eines Partners")
        verbose_name_plural = _("Namen eines Partners")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.name


class Succession(NetworkScopedModel):
    """`predecessor` ended on the day before `date`; `successor` carries on from `date`
    (e.g. Landkreis Osterode am Harz → Landkreis Göttingen, 2016-11-01)."""

    predecessor = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="successions_out",
        verbose_name=_("Vorgänger"),
    )
    successor = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="successions_in",
        verbose_name=_("Nachfolger"),
    )
    date = models.DateField(_("wirksam ab"))
    note = models.CharField(_("Vermerk"), max_length=500, blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Nachfolge")
        verbose_name_plural = _("Nachfolgen")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="networks_succession_once"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="networks_succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.date:%d.%m.%Y})"


class Person(NetworkScopedModel):
    """A person in the network; may or may not have a user account."""

    title = models.CharField(_("Titel / Anrede"), max_length=40, blank=True)
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("Institution"),
    )
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=60, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("Benutzerkonto"),
    )
    note = models.TextField(_("Notiz"), blank=True)

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=Q(user__isnull=False, deleted_at__isnull=True),
                name="networks_person_one_per_user",
            )
        ]

    def __str__(self) -> str:
        return self.name_of(self.title, self.first_name, self.last_name)

    @staticmethod
    def name_of(title: str, first_name: str, last_name: str) -> str:
        """How a person is named: "Dr. Erika Musterfrau" (also for value rows)."""
        return " ".join(part for part in (title, first_name, last_name) if part)


class Representation(NetworkScopedModel, DatedMixin):
    """ "Party X is represented by institution Y and/or person Z in function F"."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="representations", verbose_name=_("Partner")
    )
    institution = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represents",
        verbose_name=_("durch Institution"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representations",
        verbose_name=_("durch Person"),
    )
    function = models.CharField(_("in der Funktion"), max_length=200, blank=True)
    note = models.CharField(_("Vermerk"), max_length=500, blank=True)

    class Meta(NetworkScopedModel.Meta, DatedMixin.Meta):
        verbose_name = _("vertreten durch")
        verbose_name_plural = _("vertreten durch")
        ordering = ["valid_from", "id"]
        constraints = [
            *DatedMixin.Meta.constraints,
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | Q(person__isnull=False) | ~Q(function=""),
                name="networks_representation_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(institution__isnull=True) | ~Q(institution=F("partner")),
                name="networks_representation_not_itself",
            ),
        ]

    def __str__(self) -> str:
        by = ", ".join(str(x) for x in (self.institution, self.person) if x) or ""
        if self.function:
            by = f"{by} ({self.function})" if by else self.function
        return f"{self.partner}: {by}"


class ConstituencySeat(NetworkScopedModel, DatedMixin):
    """One advisory-board seat that speaks for several institutions (seed III)."""

    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta(NetworkScopedModel.Meta, DatedMixin.Meta):
        verbose_name = _("Sammelvertretung")
        verbose_name_plural = _("Sammelvertretungen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SeatAssignment(NetworkScopedModel, DatedMixin):
    """An institution assigned to a constituency seat for a period."""

    seat = models.ForeignKey(
        ConstituencySeat,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("Sammelvertretung"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="seat_assignments",
        verbose_name=_("Institution"),
    )

    class Meta(NetworkScopedModel.Meta, DatedMixin.Meta):
        verbose_name = _("Zuordnung zur Sammelvertretung")
        verbose_name_plural = _("Zuordnungen zur Sammelvertretung")
        ordering = ["valid_from", "id"]

    def __str__(self) -> str:
        return f"{self.partner} → {self.seat}"


class SeatHolding(NetworkScopedModel, DatedMixin):
    """The person who speaks for a constituency seat for a period."""

    seat = models.ForeignKey(
        ConstituencySeat,
        on_delete=models.CASCADE,
        related_name="holdings",
        verbose_name=_("Sammelvertretung"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="seat_holdings", verbose_name=_("Person")
    )

    class Meta(NetworkScopedModel.Meta, DatedMixin.Meta):
        verbose_name = _("Inhaber/in der Sammelvertretung")
        verbose_name_plural = _("Inhaber/innen der Sammelvertretung")
        ordering = ["valid_from", "id"]

    def __str__(self) -> str:
        return f"{self.person} – {self.seat}"


def open_period_overlaps(
    qs: models.QuerySet, start: datetime.date, end: datetime.date | None
) -> models.QuerySet:
    """Rows of `qs` whose validity overlaps [start, end]."""
    cond = Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    if end is not None:
        cond &= Q(valid_from__lte=end)
    return qs.filter(cond)


class NetworkLogo(NetworkScopedModel):
    """The network's logo for the letterhead of its invitations and minutes (e-mail and
    PDF): a PNG or JPEG checked by its bytes, stored under MEDIA_ROOT with a random name and
    handed out only through views that check permission. At most one per network; a new
    upload replaces the file of the same record, a removal soft-deletes it (and its file)."""

    file = models.FileField(_("Datei"), upload_to="logos/", max_length=300, blank=True)
    file_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=60)
    size = models.PositiveIntegerField(_("Dateigröße"))
    sha256 = models.CharField(_("Prüfwert der Datei"), max_length=64)

    HISTORY_EXCLUDE = NetworkScopedModel.HISTORY_EXCLUDE | {"file"}

    class Meta(NetworkScopedModel.Meta):
        verbose_name = _("Logo des Netzwerks")
        verbose_name_plural = _("Logos des Netzwerks")
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(deleted_at__isnull=True),
                name="networks_logo_one_per_network",
            )
        ]

    def __str__(self) -> str:
        return str(_("Logo (%(name)s)") % {"name": self.file_name})
