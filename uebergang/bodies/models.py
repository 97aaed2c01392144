"""Bodies of the network (decision board, advisory board, working groups), their seats and
memberships, and the offices (chair, deputy chair) held through a membership. Who sat where
and when is dated (valid from / to) and stays readable for any day."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from uebergang.core.models import DatedMixin, NetworkScopedModel, choice_label
from uebergang.networks.models import ConstituencySeat, Partner, Person


class BodyKind(models.TextChoices):
    DECISION_BOARD = "decision_board", _("Entscheidungsgremium")
    ADVISORY_BOARD = "advisory_board", _("Beirat")
    WORKING_GROUP = "working_group", _("Arbeitsgremium")
    OTHER = "other", _("sonstiges Gremium")


class QuorumRule(models.TextChoices):
    NONE = "none", _("keine Regel festgelegt")
    MAJORITY = "majority", _("mehr als die Hälfte der stimmberechtigten Sitze anwesend")
    MINIMUM = "minimum", _("mindestens eine feste Zahl stimmberechtigter Sitze anwesend")


class Body(NetworkScopedModel, DatedMixin):
    """A committee of the network, moderated by the coordination office (seed II.1)."""

    name = models.CharField(_("Name"), max_length=200)
    # What the numbers of its decisions begin with ("BR 2026/04"); empty: after its kind.
    short_name = models.CharField(_("Kürzel"), max_length=12, blank=True)
    kind = models.CharField(_("Art"), max_length=30, choices=BodyKind.choices)
    topic_area = models.CharField(_("Themenbereich"), max_length=200, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    invitation_period_days = models.PositiveSmallIntegerField(
        _("Einladungsfrist in Tagen"), default=14
    )
    quorum_rule = models.CharField(
        _("Beschlussfähigkeit"), max_length=20, choices=QuorumRule.choices, default=QuorumRule.NONE
    )
    quorum_minimum = models.PositiveSmallIntegerField(
        _("Mindestzahl anwesender Sitze"), null=True, blank=True
    )

    class Meta(NetworkScopedModel.Meta, DatedMixin.Meta):
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["kind", "name"]
        constraints = [
            *DatedMixin.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(quorum_rule="minimum") | Q(quorum_minimum__gte=1),
                name="bodies_body_minimum_needs_number",
            ),
            models.UniqueConstraint(
                Lower("name"),
                "network",
                condition=Q(valid_to__isnull=True, deleted_at__isnull=True),
                name="bodies_body_active_name_unique",
                violation_error_message=_("Ein aktives Gremium mit diesem Namen gibt es schon."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return choice_label(BodyKind, self.kind)

    @property
    def quorum_label(self) -> str:
        return choice_label(QuorumRule, self.quorum_rule)

    @property
    def reference_prefix(self) -> str:
        """The body's Kürzel, or one after its kind (EG, BR) or the initials of its name."""
        return self.prefix_of(self.name, self.short_name, self.kind)

    @staticmethod
    def prefix_of(name: str, short_name: str, kind: str) -> str:
        """`reference_prefix` of a body's value row."""
        if short_name:
            return short_name
        if kind in DEFAULT_PREFIXES:
            return DEFAULT_PREFIXES[kind]
        initials = "".join(word[0] for word in name.split() if word[:1].isalpha())
        return (initials[:4] or "G").upper()


DEFAULT_PREFIXES = {BodyKind.DECISION_BOARD: "EG", BodyKind.ADVISORY_BOARD: "BR"}


class BodySeat(NetworkScopedModel, DatedMixin):
    """A seat in a body: held for a party (a partner) or for a constituency seat. One vote
    per seat (DOMAIN.md, "Seats and votes")."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="seats", verbose_name=_("Gremium")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_seats",
        verbose_name=_("für Partner"),
    )
    constituency_seat = models.ForeignKey(
        ConstituencySeat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_seats",
        verbose_name=_("für Sammelvertretung"),
    )
    voting = models.BooleanField(_("stimmberechtigt"), default=True)

    class Meta(NetworkScopedModel.Meta, DatedMixin.Meta):
        verbose_name = _("Sitz")
        verbose_name_plural = _("Sitze")
        ordering = ["valid_from", "id"]
        constraints = [
            *DatedMixin.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(partner__isnull=False) & Q(constituency_seat__isnull=True))
                | (Q(partner__isnull=True) & Q(constituency_seat__isnull=False)),
                name="bodies_bodyseat_for_partner_or_constituency",
            ),
        ]

    def __str__(self) -> str:
        return str(self.partner or self.constituency_seat)


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Mitglied")
    SUBSTITUTE = "substitute", _("Vertreter/in (eines Mitglieds)")
    GUEST = "guest", _("hinzugezogene/r Expert/in")
    MODERATOR = "moderator", _("Moderation")


class Membership(NetworkScopedModel, DatedMixin):
    """A person in a body for a period: on a seat (member, or substitute for a named member),
    as a guest expert (seed II.1.f) or as the moderator (the coordination office)."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Gremium")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("Person")
    )
    seat = models.ForeignKey(
        BodySeat,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("Sitz"),
    )
    role = models.CharField(
        _("Rolle"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    substitute_for = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="substitutes",
        verbose_name=_("vertritt"),
    )
    note = models.CharField(_("Vermerk"), max_length=500, blank=True)

    class Meta(NetworkScopedModel.Meta, DatedMixin.Meta):
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["valid_from", "id"]
        constraints = [
            *DatedMixin.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(role__in=["member", "substitute"]) | Q(seat__isnull=False),
                name="bodies_membership_member_has_seat",
            ),
            models.CheckConstraint(
                condition=~Q(role="substitute") | Q(substitute_for__isnull=False),
                name="bodies_membership_substitute_names_member",
            ),
            models.CheckConstraint(
                condition=Q(substitute_for__isnull=True) | ~Q(substitute_for=F("id")),
                name="bodies_membership_not_own_substitute",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.body}"

    @property
    def role_label(self) -> str:
        return choice_label(MemberRole, self.role)

    @property
    def has_vote(self) -> bool:
        """A member on a voting seat votes for it; a substitute only when standing in."""
        return self.role == MemberRole.MEMBER and self.seat is not None and self.seat.voting


class OfficeKind(models.TextChoices):
    CHAIR = "chair", _("Vorsitz")
    DEPUTY = "deputy", _("Stellvertretung (Vorsitz)")


class Office(NetworkScopedModel, DatedMixin):
    """Chair or deputy chair, held through a membership (elections come with decisions)."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="offices",
        verbose_name=_("Mitgliedschaft"),
    )
    kind = models.CharField(_("Amt"), max_length=20, choices=OfficeKind.choices)

    class Meta(NetworkScopedModel.Meta, DatedMixin.Meta):
        verbose_name = _("Amt")
        verbose_name_plural = _("Ämter")
        ordering = ["valid_from", "id"]

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.membership.person}"

    @property
    def kind_label(self) -> str:
        return choice_label(OfficeKind, self.kind)
