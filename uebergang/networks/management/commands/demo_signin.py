from django.core.management.base import BaseCommand

from uebergang.networks import demo


class Command(BaseCommand):
    help = "Zeigt die Anmeldedaten des Demo-Netzwerks."

    def handle(self, *args, **options):
        self.stdout.write(
            f"  Koordinierungsstelle: {demo.COORDINATION_EMAIL} / {demo.DEMO_PASSWORD}"
        )
        self.stdout.write(f"  Mitglied (IHK):       {demo.MEMBER_EMAIL} / {demo.DEMO_PASSWORD}")
