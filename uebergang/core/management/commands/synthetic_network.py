"""A large synthetic network for benchmarks and load tests, from the parts of every app
(`core.synthetic`).

Defaults: 20 bodies, 150 people, 300 memberships, 1,200 meetings with 14,000 agenda items
and as many documents (tiny placeholder PDFs), spread over ten years up to a few months
ahead; past meetings have invitations with replies, attendance and approved minutes (one
entry per agenda item, a task per meeting), the next ones are planned or invited. Partners,
bodies, seats and memberships go through the services (with history); the bulk below is
written with `bulk_create` (no history: generated data, said so in the network's
description). All names are fictional.

    manage.py synthetic_network [--slug synthetisch] [--scale 1.0] [--replace] [--people N] ...
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from uebergang.core.exchange import delete_network
from uebergang.core.models import Network
from uebergang.core.synthetic import amounts, build_synthetic, sizes_for


class Command(BaseCommand):
    help = (
        "Erzeugt ein großes synthetisches Netzwerk für Lasttests und Benchmarks (fiktive "
        "Namen; Standard: 20 Gremien, 150 Personen, 300 Mitgliedschaften, 1.200 Sitzungen "
        "mit 14.000 Tagesordnungspunkten und Unterlagen über zehn Jahre)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="synthetisch")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Faktor für alle Mengen, z. B. 0.02"
        )
        for amount in amounts():
            parser.add_argument(
                f"--{amount.name.replace('_', '-')}",
                dest=amount.name,
                type=int,
                default=amount.default,
                help=amount.help,
            )
        parser.add_argument(
            "--replace", action="store_true", help="ein Netzwerk mit diesem Kurznamen ersetzen"
        )

    def handle(self, *args, **o):
        scale = o["scale"]
        if scale <= 0:
            raise CommandError("--scale muss größer als 0 sein")
        sizes = sizes_for({a.name: o.get(a.name) for a in amounts()}, scale)
        existing = Network.all_objects.filter(slug=o["slug"]).first()
        if existing is not None and not o["replace"]:
            raise CommandError(
                f"Das Netzwerk „{o['slug']}“ gibt es schon; mit --replace wird es ersetzt."
            )
        started = time.monotonic()
        with transaction.atomic():
            if existing is not None:
                delete_network(existing)
            network, counts = build_synthetic(o["slug"], sizes)
        seconds = time.monotonic() - started
        summary = ", ".join(f"{key}: {value}" for key, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetisches Netzwerk „{network.slug}“ in {seconds:.1f} s erzeugt ({summary})."
            )
        )
