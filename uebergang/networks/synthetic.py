"""The registry's part of the synthetic network (`core.synthetic`): the network, fictional
partners (one per five people, at least four) and people."""

from __future__ import annotations

from uebergang.core.permissions import SYSTEM
from uebergang.core.synthetic import BATCH, Amount, SyntheticBuild, register_synthetic_part
from uebergang.networks import services as registry
from uebergang.networks.models import Person

FIRST = ["Ada", "Bo", "Cleo", "Dino", "Ela", "Fritzi", "Gabo", "Hedda", "Ivo", "Juna", "Kai"]
FIRST += ["Lio", "Mila", "Nepo", "Oda", "Pim", "Quirin", "Ronja", "Sami", "Tilda", "Ugo"]
LAST = ["Synthmann", "Testrup", "Probekamp", "Beispielfeld", "Fiktivski", "Musterhagen"]
LAST += ["Platzberg", "Erfundel", "Dummling", "Scheinholt", "Annahme", "Modellbach"]
KINDS = ["school_general", "school_vocational", "municipality", "chamber", "association"]


def build(b: SyntheticBuild) -> None:
    slug, sizes, start = b.slug, b.sizes, b.start
    network = registry.network_create(
        actor=SYSTEM,
        slug=slug,
        name=f"Synthetisches Netzwerk {slug}",
        valid_from=start,
        region="Fiktiver Landkreis",
        description=("Erzeugte Testdaten für Lasttests (synthetic_network); alle Namen erfunden."),
    )
    # Registry: partners and people through the services.
    partners = [
        registry.partner_create(
            actor=SYSTEM,
            network=network,
            data={
                "name": f"Fiktive Institution {n:02d}",
                "kind": KINDS[n % len(KINDS)],
                "valid_from": start,
                "email": f"institution{n:02d}@{slug}.example",
            },
        )
        for n in range(1, max(4, sizes["people"] // 5) + 1)
    ]
    people = Person.objects.bulk_create(
        [
            Person(
                network=network,
                first_name=FIRST[n % len(FIRST)],
                last_name=f"{LAST[n % len(LAST)]}-{n:03d}",
                function="Fiktive Person (Testdaten)",
                organisation=partners[n % len(partners)],
                email=f"person{n:03d}@{slug}.example",
            )
            for n in range(sizes["people"])
        ],
        batch_size=BATCH,
    )
    b.network = network
    b.shared.update(partners=partners, people=people)
    b.counts.update({"Partner": len(partners), "Personen": len(people)})


register_synthetic_part("registry", 10, build, (Amount("people", 150, 4, "Anzahl der Personen"),))
