import secrets

from django.core.management.base import BaseCommand, CommandError

from uebergang.accounts.models import User
from uebergang.accounts.services import network_role_grant, user_create
from uebergang.core.errors import DomainError
from uebergang.core.models import Network, Role
from uebergang.core.permissions import SYSTEM


class Command(BaseCommand):
    help = (
        "Gibt einem Konto eine Rolle in einem Netzwerk; legt das Konto an, wenn es fehlt "
        "(das Passwort wird dann einmal angezeigt)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--network", required=True, help="Kurzname des Netzwerks")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="", help="Anzeigename eines neuen Kontos")

    def handle(self, *args, **o):
        network = Network.objects.filter(slug=o["network"]).first()
        if network is None:
            raise CommandError(f"Kein Netzwerk mit dem Kurznamen „{o['network']}“.")
        user = User.objects.filter(email__iexact=o["email"]).first()
        try:
            if user is None:
                password = secrets.token_urlsafe(12)
                user = user_create(
                    actor=SYSTEM, email=o["email"], password=password, display_name=o["name"]
                )
                self.stdout.write(f"Konto angelegt: {user.email} / Passwort: {password}")
            network_role_grant(actor=SYSTEM, network=network, user=user, role=o["role"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{user.email} hat jetzt die Rolle „{Role(o['role']).label}“ in {network.name}."
            )
        )
