"""Meetings, the network day and participation as tables for Excel (`core.tabular`) and the
printable attendance list. Selectors: each asks the permission of the page its data comes
from and shows what that page shows to the actor –

* a meeting's invitees with replies, delivery and attendance: the coordination office (the
  meeting page shows the invitations to it only; `MEETINGS_MANAGE`);
* the registrations for a network day: every member (`NETWORKDAYS_VIEW`), the e-mail
  address and the note only the office (as the network day's page);
* participation per institution and year: the office (`NETWORK_MANAGE`, as its page);
* the attendance list with signature fields: the office, which records attendance.

Each reads in a fixed number of queries and writes nothing (a download is a read: no
history record)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from uebergang.bodies.models import MemberRole, Membership
from uebergang.core.errors import NotFound
from uebergang.core.models import Network
from uebergang.core.permissions import NETWORK_MANAGE, authorize, can
from uebergang.core.tabular import Table

from . import selectors
from .models import Invitation, InvitationKind, Meeting, NetworkDay
from .rules import MEETINGS_MANAGE, NETWORKDAYS_MANAGE, NETWORKDAYS_VIEW


def _in_network(record: Any, network: Network) -> None:
    if record.network_id != network.pk:
        raise NotFound(_("%(kind)s nicht gefunden.") % {"kind": record._meta.verbose_name})


# --- a meeting's invitees --------------------------------------------------------------------


def invitee_table(*, actor: Any, network: Network, meeting: Meeting) -> Table:
    """Everyone the invitation went to (people and, for information, institutions) with
    reply, delivery and whether they were present; people present without an invitation
    follow. Two queries."""
    _in_network(meeting, network)
    authorize(actor, network, MEETINGS_MANAGE, meeting)
    invitations = list(
        Invitation.objects.filter(meeting=meeting)
        .select_related(
            "person",
            "partner",
            "membership__seat__partner",
            "membership__seat__constituency_seat",
            "substitute__person",
        )
        .order_by("kind", "name", "pk")
    )
    attendances = list(meeting.attendances.select_related("person", "partner"))
    present = {a.person_id for a in attendances}
    recorded = meeting.has_taken_place or bool(attendances)
    headers = [
        _("Empfänger/in"),
        _("Art"),
        _("Rolle"),
        _("Sitz"),
        _("E-Mail"),
        _("Antwort"),
        _("Bemerkung zur Antwort"),
        _("vertreten durch"),
        _("geantwortet am"),
        _("Zustellung"),
        _("anwesend"),
    ]
    rows: list[list[Any]] = []
    invited = set()
    for inv in invitations:
        invitee = inv.kind == InvitationKind.INVITEE
        if inv.person_id:
            invited.add(inv.person_id)
        m = inv.membership
        rows.append(
            [
                inv.name,
                inv.kind_label,
                m.role_label if m else None,
                str(m.seat) if m and m.seat_id else None,
                inv.email,
                inv.reply_label if invitee else None,
                inv.reply_note,
                str(inv.substitute.person) if inv.substitute_id else None,
                inv.replied_at,
                inv.delivery_label,
                (inv.person_id in present) if invitee and recorded else None,
            ]
        )
    for a in attendances:
        if a.person_id not in invited:
            rows.append(
                [
                    str(a.person),
                    _("ohne Einladung"),
                    None,
                    a.partner.name if a.partner_id else None,
                    None,
                    None,
                    a.note,
                    None,
                    None,
                    None,
                    True,
                ]
            )
    return Table(title=_("Eingeladene"), headers=headers, rows=rows)


# --- the attendance list ---------------------------------------------------------------------


def attendance_sheet(*, actor: Any, network: Network, meeting: Meeting) -> dict[str, Any]:
    """Who is on the attendance list: the people in the body on the meeting's day (who are
    invited, as `services.meeting_invite` chooses them): the members, their substitutes, then
    guest experts and moderation; each group by name. One query."""
    _in_network(meeting, network)
    authorize(actor, network, MEETINGS_MANAGE, meeting)
    memberships = list(
        Membership.objects.valid_on(meeting.day)
        .filter(body_id=meeting.body_id, person__deleted_at__isnull=True)
        .select_related(
            "person__organisation",
            "seat__partner",
            "seat__constituency_seat",
            "substitute_for__person",
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )
    groups = [
        (_("Mitglieder"), [m for m in memberships if m.role == MemberRole.MEMBER]),
        (
            _("Vertreter/innen (von Mitgliedern)"),
            [m for m in memberships if m.role == MemberRole.SUBSTITUTE],
        ),
        (
            _("Weitere Eingeladene"),
            [m for m in memberships if m.role not in (MemberRole.MEMBER, MemberRole.SUBSTITUTE)],
        ),
    ]
    return {"groups": [(label, rows) for label, rows in groups if rows]}


# --- the network day -------------------------------------------------------------------------


def registration_table(*, actor: Any, network: Network, day: NetworkDay) -> Table:
    """The registrations as the network day's page lists them, by institution. One query."""
    _in_network(day, network)
    authorize(actor, network, NETWORKDAYS_VIEW, day)
    office = can(actor, network, NETWORKDAYS_MANAGE)
    headers = [
        _("Institution"),
        _("Name"),
        *([_("E-Mail"), _("Vermerk")] if office else []),
        _("teilgenommen"),
        _("angemeldet am"),
    ]
    rows = [
        [
            r.partner.name if r.partner_id else _("ohne Institution"),
            r.name,
            *([r.email, r.note] if office else []),
            r.attended,
            r.created,
        ]
        for r in selectors.registrations_of(day)
    ]
    return Table(title=_("Anmeldungen"), headers=headers, rows=rows)


# --- participation ---------------------------------------------------------------------------


def participation_table(*, actor: Any, network: Network, year: int | None = None) -> Table:
    """Per institution and year (one row each, newest year first): the meetings of the
    advisory board and of the working groups someone attended for it, out of how many it
    could have, and the network days with someone present – the numbers of the
    participation page. Six queries."""
    authorize(actor, network, NETWORK_MANAGE)
    all_years, rows = selectors.participation(network=network)
    years = [y for y in all_years if y == year] if year else all_years
    headers = [
        _("Institution"),
        _("Kooperationspartner"),
        _("Jahr"),
        _("Sitzungen des Beirats"),
        _("von Sitzungen des Beirats"),
        _("Sitzungen der Arbeitsgremien"),
        _("von Sitzungen der Arbeitsgremien"),
        _("Netzwerktage"),
        _("von Netzwerktagen"),
    ]
    out = [
        [
            row.partner_name,
            row.is_party,
            y,
            row.by_year[y]["advisory_board"],
            row.by_year[y]["advisory_board_of"],
            row.by_year[y]["working_group"],
            row.by_year[y]["working_group_of"],
            row.by_year[y]["network_day"],
            row.by_year[y]["network_day_of"],
        ]
        for y in years
        for row in rows
    ]
    return Table(title=_("Teilnahme"), headers=headers, rows=out)
