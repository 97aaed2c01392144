"""The demo network, assembled from the parts the apps bring.

Each app that has something to show keeps its part in its own `demo.py` and registers it
with `register_demo_part`; `build_demo` finds them through the app registry
(`autodiscover_modules("demo")`) and runs them in their order inside one transaction, with
one `DemoBuild` that carries the network and what earlier parts made for later ones.

The demo is built when it is loaded (`manage.py load_demo`), never read from a stored
file: its invented story is written as seen from `STORY_DAY` and moves with the day it is
built, by whole weeks (meetings keep their weekday), so on any day the next advisory-board
meeting is three weeks ahead and the last minutes a few weeks old. The seed's own facts
(the agreement of 29 May 2013, the merger of 1 November 2016) stay where they are: a part
passes only invented days through `DemoBuild.on`."""

from __future__ import annotations

import contextlib
import datetime
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import Network
from .permissions import SYSTEM

STORY_DAY = datetime.date(2026, 12, 1)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def story_shift(today: datetime.date) -> datetime.timedelta:
    """How far the invented story moves when the demo is built on `today`: whole weeks, so
    that nothing in the story's past lands after `today`."""
    return datetime.timedelta(weeks=(today - STORY_DAY).days // 7)


@dataclass
class DemoBuild:
    """One build of the demo: the acting system, the network (made by the first part), the
    day it is built, and what parts hand on to later parts (`shared`)."""

    today: datetime.date
    actor: Any = SYSTEM
    network: Network | None = None
    shared: dict[str, Any] = field(default_factory=dict)

    def on(self, day: datetime.date) -> datetime.date:
        """An invented day of the story, moved to the day of the build."""
        return day + story_shift(self.today)


@dataclass(frozen=True)
class DemoPart:
    name: str
    order: int
    build: Callable[[DemoBuild], None]


_PARTS: dict[str, DemoPart] = {}


def register_demo_part(name: str, order: int, build: Callable[[DemoBuild], None]) -> None:
    """An app's part of the demo; the part with the lowest order creates `build.network`."""
    if name in _PARTS and _PARTS[name].build is not build:
        raise ValueError(f"demo part {name!r} is registered twice")
    _PARTS[name] = DemoPart(name, order, build)


def demo_parts() -> list[DemoPart]:
    autodiscover_modules("demo")
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.name))


def build_demo(slug: str) -> Network:
    """Build the demo network with the services of every app (does nothing if a network with
    this slug exists). Nothing is sent: the demo tells of invitations and minutes that went
    out in its past, so what its services leave to do after commit (mail tasks) is dropped."""
    with transaction.atomic():
        existing = Network.all_objects.filter(slug=slug).first()
        if existing is not None:
            return existing
        connection = transaction.get_connection()
        pending = len(connection.run_on_commit)  # the caller's own, kept
        build = DemoBuild(today=timezone.localdate())
        for part in demo_parts():
            part.build(build)
        if build.network is None:
            raise RuntimeError("no demo part created the network")
        # Django keeps the callbacks of the open transaction in this list (no public API
        # drops them); the build's own come after the caller's.
        del connection.run_on_commit[pending:]
    return build.network


# --- for the parts -------------------------------------------------------------------------
#
# Past steps are built with the services "as of" their moment: `clock` sets Django's clock
# to it (an invitation three weeks before a meeting, attendance on the day, minutes two weeks
# after), so timestamps, history and the services' date checks read as they would have. Only
# the demo builder does this, single-threaded, inside its own transaction.


@contextlib.contextmanager
def clock(moment: datetime.datetime) -> Iterator[None]:
    """Django's clock (`timezone.now`, hence `localdate` and the history) stands at
    `moment` (demo builder only)."""
    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = original


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on `day` in Europe/Berlin."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BERLIN)
