"""What every domain record shares, the network (the root of all data), roles in it, and the
history of changes.

`core` knows no domain app. Domain records inherit `NetworkScopedModel`; dated facts add
`DatedMixin`; the history is one event table (`HistoryEvent`)."""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- querysets -------------------------------------------------------------------------------


def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
    """The filter "the validity period contains `day`" (for models with `DatedMixin`), on a
    related model with `prefix` (e.g. "memberships__") or in an aggregate's `filter=`."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class DomainQuerySet(models.QuerySet):
    def alive(self) -> DomainQuerySet:
        return self.filter(deleted_at__isnull=True)

    def for_network(self, network: Network) -> DomainQuerySet:
        return self.filter(network=network)

    def valid_on(self, day: datetime.date) -> DomainQuerySet:
        """Rows whose validity period contains `day` (for models with `DatedMixin`)."""
        return self.filter(valid_on_q(day))


class AliveManager(models.Manager.from_queryset(DomainQuerySet)):  # type: ignore[misc]
    """The default manager hides soft-deleted rows."""

    def get_queryset(self) -> DomainQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


AllManager = models.Manager.from_queryset(DomainQuerySet)


# --- abstract bases --------------------------------------------------------------------------


class DomainModel(models.Model):
    """Stable public id, timestamps, a version for conditional saves, soft delete."""

    public_id = models.UUIDField(
        _("öffentliche ID"), default=uuid.uuid4, unique=True, editable=False
    )
    created = models.DateTimeField(_("angelegt"), default=timezone.now, editable=False)
    modified = models.DateTimeField(_("geändert"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)
    deleted_at = models.DateTimeField(_("gelöscht"), null=True, blank=True, editable=False)

    objects = AliveManager()
    all_objects = AllManager()

    # Fields that the history does not report (bookkeeping).
    HISTORY_EXCLUDE = frozenset({"id", "public_id", "created", "modified", "version", "deleted_at"})

    class Meta:
        abstract = True
        base_manager_name = "all_objects"


class DatedMixin(models.Model):
    """A fact that holds from `valid_from` to `valid_to` (both inclusive; open end = today)."""

    valid_from = models.DateField(_("gültig ab"))
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_ends_after_start",
            )
        ]

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def period_text(self, open_end: str) -> str:
        """ "01.01.2014 – 31.12.2020", or "01.01.2014 – <open_end>" (e.g. "heute") while
        it has no end."""
        end = f"{self.valid_to:%d.%m.%Y}" if self.valid_to else open_end
        return f"{self.valid_from:%d.%m.%Y} – {end}"

    @property
    def is_current(self) -> bool:
        return self.is_valid_on(timezone.localdate())


class NetworkScopedModel(DomainModel):
    """A domain record that belongs to exactly one network."""

    network = models.ForeignKey(
        "core.Network", on_delete=models.PROTECT, related_name="+", verbose_name=_("Netzwerk")
    )

    class Meta(DomainModel.Meta):
        abstract = True


def new_data_version() -> int:
    return secrets.randbits(62)


def new_cache_generations() -> dict[str, int]:
    """A new network's cache generations (`core.cachegen`): a random epoch, so that a
    re-created network (its id may be reused) never meets an old cache entry."""
    return {"epoch": new_data_version()}


# --- the network -----------------------------------------------------------------------------


class Network(DomainModel, DatedMixin):
    """One regional transition network (a county or city): the root of all its data."""

    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    region = models.CharField(_("Region"), max_length=200, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    coordination_office = models.CharField(
        _("Koordinierungsstelle"), max_length=200, default="Koordinierungsstelle Bildung-Beruf"
    )
    email = models.EmailField(_("E-Mail der Koordinierungsstelle"), blank=True)
    # What cached pages are keyed by: a random value per kind of record, renewed after each
    # commit that changed records of that kind (`core.cachegen`), outside the write's
    # transaction. Not data of the network: not in its history nor in an export.
    cache_generations = models.JSONField(
        default=new_cache_generations,
        editable=False,
        verbose_name=_("Stände des Zwischenspeichers"),
    )

    HISTORY_EXCLUDE = DomainModel.HISTORY_EXCLUDE | {"cache_generations"}

    class Meta(DomainModel.Meta, DatedMixin.Meta):
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkName(DomainModel, DatedMixin):
    """The network's name over time (a rename is a dated fact)."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="names", verbose_name=_("Netzwerk")
    )
    name = models.CharField(_("Name"), max_length=200)

    class Meta(DomainModel.Meta, DatedMixin.Meta):
        verbose_name = _("Name des Netzwerks")
        verbose_name_plural = _("Namen des Netzwerks")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATION = "coordination", _("Koordinierungsstelle")
    MEMBER = "member", _("Mitglied")


class NetworkRole(DomainModel):
    """A user's role in one network. Relations (represents a party, holds a seat, …) come from
    the domain apps through `core.permissions`."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="roles", verbose_name=_("Netzwerk")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="network_roles",
        verbose_name=_("Benutzerkonto"),
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)

    class Meta(DomainModel.Meta):
        verbose_name = _("Rolle im Netzwerk")
        verbose_name_plural = _("Rollen im Netzwerk")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=Q(deleted_at__isnull=True),
                name="core_networkrole_one_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.network})"


# --- history ---------------------------------------------------------------------------------


class HistoryAction(models.TextChoices):
    CREATE = "create", _("angelegt")
    UPDATE = "update", _("geändert")
    DELETE = "delete", _("gelöscht")
    RENAME = "rename", _("umbenannt")
    END = "end", _("beendet")
    SUCCESSION = "succession", _("Nachfolge")
    ASSIGN = "assign", _("zugeordnet")
    UNASSIGN = "unassign", _("Zuordnung beendet")
    ROLE = "role", _("Rolle geändert")
    OTHER = "other", _("sonstiges")


class HistoryEvent(models.Model):
    """Who changed what, when: one row per change of state, written by the service that made
    it, with before/after values of the changed fields."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, related_name="+", verbose_name=_("Netzwerk")
    )
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Benutzerkonto"),
    )
    actor_name = models.CharField(_("durch"), max_length=200)
    action = models.CharField(_("Aktion"), max_length=20, choices=HistoryAction.choices)
    object_type = models.CharField(
        max_length=60, verbose_name=_("Art des Datensatzes")
    )  # "<app_label>.<model>"
    object_id = models.UUIDField(verbose_name=_("Kennung des Datensatzes"))
    object_repr = models.CharField(_("Datensatz"), max_length=300)
    # The record this event belongs to as well (a representation's partner, …).
    parent_type = models.CharField(
        max_length=60, blank=True, verbose_name=_("Art des übergeordneten Datensatzes")
    )
    parent_id = models.UUIDField(
        null=True, blank=True, verbose_name=_("Kennung des übergeordneten Datensatzes")
    )
    changes = models.JSONField(_("Änderungen"), default=dict, blank=True)  # field: [before, after]
    message = models.CharField(_("Hinweis"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"], name="core_hist_object"),
            models.Index(fields=["parent_type", "parent_id", "-at"], name="core_hist_parent"),
            models.Index(fields=["network", "-at"], name="core_hist_network"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.get_action_display()} {self.object_repr}"


_LABELS: dict[tuple[type, str], dict[str, str]] = {}


def choice_label(choices: type[models.Choices], value: str) -> str:
    """The label of a choice in the active language, from a per-language table (Django's
    get_FOO_display rebuilds and hashes the whole choice list on every call)."""
    from django.utils.translation import get_language

    key = (choices, get_language() or "")
    table = _LABELS.get(key)
    if table is None:
        table = _LABELS[key] = {str(v): str(label) for v, label in choices.choices}
    return table.get(value, value)


# --- per-network settings --------------------------------------------------------------------


class NetworkSetting(DomainModel):
    """A network's value of a setting that an app declares (`core.netsettings`); settings
    without a row have their declared default."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="setting_values", verbose_name=_("Netzwerk")
    )
    key = models.CharField(_("Einstellung"), max_length=100)
    value = models.JSONField(_("Wert"), null=True, blank=True)

    class Meta(DomainModel.Meta):
        verbose_name = _("Einstellung des Netzwerks")
        verbose_name_plural = _("Einstellungen des Netzwerks")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "key"],
                condition=Q(deleted_at__isnull=True),
                name="core_networksetting_one_per_key",
            )
        ]

    def __str__(self) -> str:
        from .netsettings import label_of

        return str(label_of(self.key))
