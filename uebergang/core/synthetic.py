"""A large synthetic network for benchmarks and load tests, assembled from the parts the
apps bring, as the demo is (`core.demo`).

Each app that has records keeps its part in its own `synthetic.py` and registers it with
`register_synthetic_part`, naming the amounts it makes (with default, minimum and help text
for `manage.py synthetic_network`). `build_synthetic` finds the parts through the app
registry (`autodiscover_modules("synthetic")`) and runs them in their order inside one
transaction, with one `SyntheticBuild` that carries the network, the amounts, and what
earlier parts made for later ones. All names are fictional."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from . import cachegen
from .models import Network

YEARS = 10  # the synthetic history reaches this many years back
BATCH = 2000  # rows per bulk insert


@dataclass(frozen=True)
class Amount:
    """An amount a part makes: `manage.py synthetic_network --<name> N`, times `--scale`,
    never below `minimum`."""

    name: str
    default: int
    minimum: int
    help: str


@dataclass
class SyntheticBuild:
    slug: str
    sizes: dict[str, int]
    today: datetime.date
    network: Network | None = None
    shared: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def start(self) -> datetime.date:
        """The first day of the synthetic history."""
        day = (
            self.today.replace(day=28)
            if (self.today.month, self.today.day) == (2, 29)
            else self.today
        )
        return day.replace(year=day.year - YEARS)


@dataclass(frozen=True)
class SyntheticPart:
    name: str
    order: int
    build: Callable[[SyntheticBuild], None]
    amounts: tuple[Amount, ...]


_PARTS: dict[str, SyntheticPart] = {}


def register_synthetic_part(
    name: str, order: int, build: Callable[[SyntheticBuild], None], amounts: tuple[Amount, ...] = ()
) -> None:
    """An app's part of the synthetic network; the part with the lowest order creates
    `build.network`."""
    if name in _PARTS and _PARTS[name].build is not build:
        raise ValueError(f"synthetic part {name!r} is registered twice")
    _PARTS[name] = SyntheticPart(name, order, build, tuple(amounts))


def synthetic_parts() -> list[SyntheticPart]:
    autodiscover_modules("synthetic")
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.name))


def amounts() -> list[Amount]:
    return [amount for part in synthetic_parts() for amount in part.amounts]


def sizes_for(given: dict[str, int | None], scale: float) -> dict[str, int]:
    """The amounts to make: each given one (or its default) times `scale`, at least its
    minimum."""
    return {
        a.name: max(a.minimum, round((given.get(a.name) or a.default) * scale)) for a in amounts()
    }


@transaction.atomic
def build_synthetic(slug: str, sizes: dict[str, int]) -> tuple[Network, dict[str, int]]:
    build = SyntheticBuild(slug=slug, sizes=sizes, today=timezone.localdate())
    for part in synthetic_parts():
        part.build(build)
    if build.network is None:
        raise RuntimeError("no synthetic part created the network")
    cachegen.changed_everything(build.network)  # parts write rows in bulk, without the services
    return build.network, build.counts
