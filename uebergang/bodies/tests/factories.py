"""Test data for bodies, built through the real services (as the system unless told
otherwise), so records look exactly like real ones, history included.

Stable names (other apps' test modules import them):

* `START` – bodies, seats and memberships exist from this day on.
* `make_body(network, name, kind, ...)` – a body through `bodies.services.body_create`.
* `add_seat(body, partner=... | constituency_seat=..., ...)` – a seat in the body.
* `add_member(body, person, role="member", seat=..., ...)` – a membership.
* `make_board(network, ...)` – the advisory board with seats and people (see its docstring);
  returns a `SimpleNamespace` with every record by name.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from uebergang.bodies import services as body_services
from uebergang.bodies.models import Body, BodySeat, Membership
from uebergang.core.models import Network
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services as network_services
from uebergang.networks.models import Person
from uebergang.networks.tests.factories import make_partner, make_person, make_seat

START = datetime.date(2014, 1, 1)


def make_body(
    network: Network,
    name: str = "Beirat",
    kind: str = "advisory_board",
    *,
    actor: Any = SYSTEM,
    **data: Any,
) -> Body:
    data.setdefault("valid_from", START)
    return body_services.body_create(
        actor=actor, network=network, data={"name": name, "kind": kind, **data}
    )


def make_board(
    network: Network,
    *,
    kind: str = "advisory_board",
    name: str = "Beirat",
    quorum_rule: str = "majority",
    quorum_minimum: int | None = None,
    invitation_period_days: int = 14,
) -> SimpleNamespace:
    """A body (the advisory board by default) with:

    * seats: `ihk_seat` (IHK), `agentur_seat` (Agentur für Arbeit), `schools_seat` (the
      constituency seat "Allgemeinbildende Schulen", to which `school` – with e-mail – and
      `school2` – without – are assigned), all voting, and `jugend_seat` (Jugendwerkstatt,
      not voting);
    * people (all with e-mail unless noted): `anna` (member, IHK seat), `bernd` (substitute
      for Anna), `carla` (member, schools seat), `emil` (member, Agentur seat), `gustav`
      (member, non-voting seat), `dora` (guest expert, *no* e-mail), `frieda` (moderation);
      the memberships as `anna_m`, `bernd_m`, ….

    So: 3 voting seats; 7 people receive invitations, 1 of them without address; 2
    institutions receive them for information, 1 without address.
    """
    quorum = {"quorum_rule": quorum_rule}
    if quorum_minimum is not None:
        quorum["quorum_minimum"] = quorum_minimum
    r = SimpleNamespace(network=network)
    r.ihk = make_partner(
        network, "Industrie- und Handelskammer Osterode", kind="chamber", email="ihk@example.org"
    )
    r.agentur = make_partner(
        network,
        "Agentur für Arbeit Göttingen",
        kind="employment_agency",
        email="agentur@example.org",
    )
    r.jugend = make_partner(network, "Jugendwerkstatt Am Fluss", kind="other")
    r.school = make_partner(
        network, "Oberschule Am Mühlenteich", is_party=False, email="schule@example.org"
    )
    r.school2 = make_partner(network, "Grundschule Lindenhof", is_party=False)
    r.schools = make_seat(network, "Allgemeinbildende Schulen")
    for partner in (r.school, r.school2):
        network_services.seat_assign(
            actor=SYSTEM, seat=r.schools, partner=partner, valid_from=START
        )
    r.body = make_body(network, name, kind, invitation_period_days=invitation_period_days, **quorum)

    def seat(**kwargs: Any) -> Any:
        return add_seat(r.body, **kwargs)

    r.ihk_seat = seat(partner=r.ihk)
    r.agentur_seat = seat(partner=r.agentur)
    r.schools_seat = seat(constituency_seat=r.schools)
    r.jugend_seat = seat(partner=r.jugend, voting=False)

    def person(first: str, last: str, email: str = "", organisation: Any = None) -> Person:
        data: dict[str, Any] = {"email": email}
        if organisation is not None:
            data["organisation"] = organisation
        return make_person(network, first, last, **data)

    r.anna = person("Anna", "Alt", "anna.alt@example.org", r.ihk)
    r.bernd = person("Bernd", "Berger", "bernd.berger@example.org", r.ihk)
    r.carla = person("Carla", "Clausen", "carla.clausen@example.org", r.school)
    r.emil = person("Emil", "Ehrlich", "emil.ehrlich@example.org", r.agentur)
    r.gustav = person("Gustav", "Gans", "gustav.gans@example.org", r.jugend)
    r.dora = person("Dora", "Dietrich")
    r.frieda = person("Frieda", "Funk", "frieda.funk@example.org")

    def join(p: Person, role: str = "member", **kwargs: Any) -> Any:
        return add_member(r.body, p, role, **kwargs)

    r.anna_m = join(r.anna, seat=r.ihk_seat)
    r.bernd_m = join(r.bernd, "substitute", substitute_for=r.anna_m)
    r.carla_m = join(r.carla, seat=r.schools_seat)
    r.emil_m = join(r.emil, seat=r.agentur_seat)
    r.gustav_m = join(r.gustav, seat=r.jugend_seat)
    r.dora_m = join(r.dora, "guest")
    r.frieda_m = join(r.frieda, "moderator")
    return r


def add_seat(body: Body, *, actor: Any = SYSTEM, **data: Any) -> BodySeat:
    data.setdefault("valid_from", START)
    return body_services.body_seat_add(actor=actor, body=body, **data)


def add_member(
    body: Body, person: Person, role: str = "member", *, actor: Any = SYSTEM, **data: Any
) -> Membership:
    data.setdefault("valid_from", START)
    return body_services.membership_add(actor=actor, body=body, person=person, role=role, **data)
