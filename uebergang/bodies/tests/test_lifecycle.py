"""A partner that ends (without successor or by succession) gives up its seats in bodies, and
the memberships on them end the same day."""

import datetime

from uebergang.bodies import services as bodies
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services
from uebergang.networks.tests.factories import make_partner, make_person

SIGNED = datetime.date(2013, 5, 29)
LAST_DAY = datetime.date(2016, 10, 31)


def test_ending_a_partner_ends_its_seats_and_the_memberships_on_them(network, coordinator):
    committee = make_partner(network, "Schul- und Kulturausschuss", kind="council")
    person = make_person(network, "Kai", "Kommission")
    beirat = bodies.body_create(
        actor=SYSTEM,
        network=network,
        data={"name": "Beirat", "kind": "advisory_board", "valid_from": SIGNED},
    )
    seat = bodies.body_seat_add(actor=SYSTEM, body=beirat, partner=committee, valid_from=SIGNED)
    membership = bodies.membership_add(
        actor=SYSTEM, body=beirat, person=person, role="member", seat=seat, valid_from=SIGNED
    )

    services.partner_end(
        actor=coordinator, partner=committee, valid_to=LAST_DAY, reason="dissolved"
    )

    seat.refresh_from_db()
    membership.refresh_from_db()
    assert (seat.valid_to, membership.valid_to) == (LAST_DAY, LAST_DAY)
    ended = HistoryEvent.objects.filter(
        action="end", object_id__in=[seat.public_id, membership.public_id]
    )
    assert sorted((e.object_type, e.actor_id) for e in ended) == [
        ("bodies.bodyseat", coordinator.pk),
        ("bodies.membership", coordinator.pk),
    ]


def test_a_succession_ends_the_predecessors_seats_the_day_before(network, coordinator):
    county = make_partner(network, "Landkreis Osterode am Harz", kind="county")
    beirat = bodies.body_create(
        actor=SYSTEM,
        network=network,
        data={"name": "Beirat", "kind": "advisory_board", "valid_from": SIGNED},
    )
    seat = bodies.body_seat_add(actor=SYSTEM, body=beirat, partner=county, valid_from=SIGNED)

    services.partner_record_succession(
        actor=coordinator,
        predecessor=county,
        date=datetime.date(2016, 11, 1),
        successor_data={"name": "Landkreis Göttingen"},
    )

    seat.refresh_from_db()
    assert seat.valid_to == LAST_DAY
