import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from uebergang.core.exchange import ImportRefused, ImportReport, import_network


class Command(BaseCommand):
    help = (
        "Importiert ein Netzwerk aus einer JSON-Datei von export_network (in einer Transaktion: "
        "ganz oder gar nicht). Neue Konten bekommen kein bekanntes Passwort; sie setzen es über "
        "„Passwort vergessen“."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="die JSON-Datei (- für die Standardeingabe)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="ein vorhandenes Netzwerk mit demselben Kurznamen samt aller Daten ersetzen",
        )

    def handle(self, *args, **o):
        try:
            if o["file"] == "-":
                text = sys.stdin.read()
            else:
                text = Path(o["file"]).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Die Datei lässt sich nicht lesen: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError("Die Datei ist nicht in UTF-8 kodiert.") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"Die Datei ist kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}: {exc.msg})."
            ) from exc
        report = ImportReport()
        try:
            network = import_network(data, replace=o["replace"], report=report)
        except ImportRefused as exc:
            for message in exc.messages:
                self.stderr.write(f"  {message}")
            raise CommandError(exc.message) from exc
        verb = "ersetzt" if report.replaced else "importiert"
        self.stdout.write(
            self.style.SUCCESS(f"Netzwerk „{network.name}“ {verb}: /n/{network.slug}/")
        )
        for label, count in report.counts.items():
            self.stdout.write(f"  {label}: {count}")
        if report.created_accounts:
            self.stdout.write(
                f"{len(report.created_accounts)} Konten angelegt (ohne bekanntes Passwort; "
                "Anmeldung nach „Passwort vergessen“): " + ", ".join(report.created_accounts)
            )
        if report.reused_accounts:
            self.stdout.write(
                f"{len(report.reused_accounts)} vorhandene Konten übernommen: "
                + ", ".join(report.reused_accounts)
            )
