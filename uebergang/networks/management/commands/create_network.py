import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from uebergang.core.errors import DomainError
from uebergang.core.permissions import SYSTEM
from uebergang.networks.services import network_create


class Command(BaseCommand):
    help = "Legt ein neues Netzwerk an (Plattform-Administration)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--slug", required=True, help="Kurzname in der Adresse, z. B. goettingen"
        )
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--valid-from", default=None, help="Beginn (JJJJ-MM-TT), Standard: heute"
        )
        parser.add_argument("--region", default="")
        parser.add_argument("--coordination-office", default="Koordinierungsstelle Bildung-Beruf")

    def handle(self, *args, **o):
        try:
            valid_from = (
                datetime.date.fromisoformat(o["valid_from"])
                if o["valid_from"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("--valid-from: bitte als JJJJ-MM-TT angeben") from exc
        try:
            network = network_create(
                actor=SYSTEM,
                slug=o["slug"],
                name=o["name"],
                valid_from=valid_from,
                region=o["region"],
                coordination_office=o["coordination_office"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Netzwerk „{network.name}“ angelegt: /n/{network.slug}/")
        )
