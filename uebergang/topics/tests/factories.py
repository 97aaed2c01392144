"""Test data for topics, built through the real services.

* `make_topic_world(network, make_user)` – the advisory board of `bodies.tests.factories
  .make_board` plus a decision board with Dieter Drechsler (member, with an account), and
  accounts for Anna (IHK seat), Carla (schools seat) and Gustav (non-voting seat); returns
  the namespace with `board` (decision board), `dieter`, users `u_dieter`, `u_anna`, ….
* `open_topic(world, ...)` – a topic opened by Dieter.
"""

from __future__ import annotations

import datetime
from typing import Any

from uebergang.accounts.services import network_role_grant
from uebergang.bodies.tests.factories import add_member, add_seat, make_board, make_body
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services as network_services
from uebergang.networks.tests.factories import make_partner, make_person
from uebergang.topics import services


def _account(world: Any, make_user: Any, person: Any, email: str) -> Any:
    user = make_user(email, name=str(person))
    network_role_grant(actor=SYSTEM, network=world.network, user=user, role="member")
    network_services.person_link_account(actor=SYSTEM, person=person, user=user)
    return user


def make_topic_world(network: Any, make_user: Any) -> Any:
    w = make_board(network)
    w.kreis = make_partner(network, "Landkreis Osterode am Harz", kind="county")
    w.board = make_body(network, "Entscheidungsgremium", "decision_board")
    w.kreis_seat = add_seat(w.board, partner=w.kreis)
    w.dieter = make_person(network, "Dieter", "Drechsler", email="dieter@example.org")
    w.dieter_m = add_member(w.board, w.dieter, seat=w.kreis_seat)
    w.u_dieter = _account(w, make_user, w.dieter, "dieter@example.org")
    w.u_anna = _account(w, make_user, w.anna, "anna.alt@example.org")
    w.u_carla = _account(w, make_user, w.carla, "carla.clausen@example.org")
    w.u_gustav = _account(w, make_user, w.gustav, "gustav.gans@example.org")
    return w


def open_topic(world: Any, title: str = "Gemeinsamer Übergabebogen", **data: Any) -> Any:
    return services.topic_open(
        actor=world.u_dieter,
        network=world.network,
        data={"title": title, "description": "Ein Bogen für alle Schulen.", **data},
    )


def refer(world: Any, topic: Any, *, due: datetime.date, actor: Any = SYSTEM) -> Any:
    return services.topic_refer_to_advisory_board(
        actor=actor, topic=topic, expected_version=None, due_date=due
    )


def add_working_group(world: Any, make_user: Any) -> Any:
    """The working group "AG Übergabe" with Wanda Werk (member, with an account)."""
    w = world
    w.group = make_body(w.network, "AG Übergabe", "working_group")
    w.group_seat = add_seat(w.group, partner=w.ihk)
    w.wanda = make_person(w.network, "Wanda", "Werk", email="wanda@example.org")
    add_member(w.group, w.wanda, seat=w.group_seat)
    w.u_wanda = _account(w, make_user, w.wanda, "wanda@example.org")
    w.group2 = make_body(w.network, "AG Eltern", "working_group")
    return w
