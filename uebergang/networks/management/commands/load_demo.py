from django.core.management.base import BaseCommand

from uebergang.networks import demo


class Command(BaseCommand):
    help = "Lädt das Demo-Netzwerk (Landkreis Osterode am Harz); tut nichts, wenn es schon da ist."

    def handle(self, *args, **options):
        existed = demo.demo_exists()
        network = demo.load_demo()
        if existed:
            self.stdout.write(f"Demo-Netzwerk „{network.name}“ ist schon vorhanden.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Demo-Netzwerk „{network.name}“ geladen."))
