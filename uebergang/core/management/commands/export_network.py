from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from uebergang.core.exchange import dumps, export_network
from uebergang.core.models import Network


class Command(BaseCommand):
    help = (
        "Exportiert ein ganzes Netzwerk in eine JSON-Datei (Format: docs/export-format.md), "
        "um es in eine andere Installation zu übernehmen. Ohne -o auf die Standardausgabe."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Kurzname des Netzwerks, z. B. osterode")
        parser.add_argument("-o", "--output", default=None, help="Zieldatei (Standard: stdout)")

    def handle(self, *args, **o):
        network = Network.all_objects.filter(slug=o["slug"]).first()
        if network is None:
            raise CommandError(f"Kein Netzwerk mit dem Kurznamen „{o['slug']}“.")
        text = dumps(export_network(network)) + "\n"
        if o["output"] in (None, "-"):
            self.stdout.write(text, ending="")
            return
        Path(o["output"]).write_text(text, encoding="utf-8")
        self.stderr.write(f"Netzwerk „{network.name}“ exportiert nach {o['output']}.")
