"""Concurrency bench for writes (PostgreSQL only): do writers of ONE network get in each
other's way, compared with the same writers each in its own network? And do overlapping
writers lose updates or deadlock?

1. **One network vs spread.** K writer processes (default 4) run for T seconds (default 5),
   each correcting the phone number of its own partner through `partner_update` as fast as
   it can – first all in one network (`bench-eins`, one partner per writer), then each in
   its own network (`bench-w1` … `bench-wK`). Every write records history and bumps the
   network's `data_version`, so writers of one network share that row. Printed: writes/s
   of both runs and the ratio one-network/spread (the goal is ≥ 0.8; printed, not asserted).
2. **Overlapping writers.** K writers make a fixed number of writes each (default 25) on
   the same few partners (default 2) with read–modify–write: read the partner, increment
   the counter kept in its phone field, `partner_update(expected_version=<the version
   read>)`, and on `uebergang.core.errors.Conflict` read again and retry. Verified at the
   end: every process ended within the timeout (no deadlock hangs), PostgreSQL deadlock
   errors (caught by the writers, and PostgreSQL's own `pg_stat_database.deadlocks`), and
   no lost update: each counter moved by exactly the number of successful writes on it.

The networks are made through the services (`network_create`, `partner_create`) on the
first run and reused after. Writers are `manage.py shell -c` processes with the bench's
environment; they start together (each reports READY after Django has started and waits
for GO).

`bench/run.py` calls `run()` at the end of its PostgreSQL part (on its database, with
`--seconds` as T; `--no-writes` skips it). Alone, on a fresh database `uebergang_writes`:

    python bench/writes.py [--writers 4] [--seconds 5] [--writes 25] [--shared 2]
                           [--postgres-url postgres://postgres@127.0.0.1:5432/uebergang_writes]
                           [--keep-db]

Timings are printed, never asserted."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the project root instead of bench/ on the
    # path (`bench` becomes importable, and bench/profile.py cannot shadow the stdlib's)
    _here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]
    sys.path.insert(0, str(_here.parent))

from bench.common import ROOT, bench_env, manage, recreate_postgres_database, shell, shell_command

ONE_SLUG = "bench-eins"
SPREAD_SLUG = "bench-w{}"
WRITER_NAME = "Schreibpartner {}"
COUNTER_NAME = "Zählerpartner {}"

# --- inside the writer processes (Django is set up: `manage.py shell -c`) -------------------


def _is_deadlock(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc
    return getattr(cause, "sqlstate", None) == "40P01" or "deadlock" in str(exc).lower()


def _serve(work) -> None:
    """READY, wait for GO on stdin, run `work()` and print its result as one JSON line."""
    from django.db import connection

    connection.ensure_connection()  # connect before the start, not on the clock
    print("READY", flush=True)
    sys.stdin.readline()
    result = work()
    print("RESULT " + json.dumps(result), flush=True)


def setup_networks(writers: int, shared: int) -> dict:
    """The networks and partners of this bench (made on the first run, reused after):
    {"one": [partner pk per writer], "spread": [partner pk per writer], "shared": {pk:
    counter}}; a counter partner whose phone is no number is reset to 0."""
    import datetime

    from uebergang.core.models import Network
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks import services
    from uebergang.networks.models import Partner, PartnerKind

    start = datetime.date(2020, 1, 1)

    def network(slug: str) -> Network:
        return Network.objects.filter(slug=slug).first() or services.network_create(
            actor=SYSTEM, slug=slug, name=f"Schreib-Benchmark {slug}", valid_from=start
        )

    def partner(net: Network, name: str) -> Partner:
        return Partner.objects.filter(network=net, name=name).first() or services.partner_create(
            actor=SYSTEM,
            network=net,
            data={
                "name": name,
                "kind": PartnerKind.ASSOCIATION,
                "is_party": False,
                "valid_from": start,
                "phone": "0",
            },
        )

    one = network(ONE_SLUG)
    result = {
        "one": [partner(one, WRITER_NAME.format(i + 1)).pk for i in range(writers)],
        "spread": [
            partner(network(SPREAD_SLUG.format(i + 1)), WRITER_NAME.format(1)).pk
            for i in range(writers)
        ],
        "shared": {},
    }
    for i in range(shared):
        counter = partner(one, COUNTER_NAME.format(i + 1))
        if not counter.phone.isdigit():
            counter = services.partner_update(
                actor=SYSTEM, partner=counter, expected_version=counter.version, data={"phone": "0"}
            )
        result["shared"][str(counter.pk)] = int(counter.phone)
    return result


def counters(pks: list[int]) -> dict:
    """The counters of the shared partners and PostgreSQL's deadlock count of this database."""
    from django.db import connection

    from uebergang.networks.models import Partner

    values = {str(p.pk): p.phone for p in Partner.objects.filter(pk__in=pks)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        deadlocks = cursor.fetchone()[0]
    return {"values": values, "deadlocks": deadlocks}


def update_worker(partner_pk: int, seconds: float) -> None:
    """Correct the phone number of one partner as fast as possible for `seconds`."""
    from django.db import OperationalError

    from uebergang.core.errors import Conflict
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.models import Partner
    from uebergang.networks.services import partner_update

    def work() -> dict:
        partner = Partner.objects.get(pk=partner_pk)
        writes = conflicts = deadlocks = errors = 0
        first_error = ""
        started = time.monotonic()
        deadline = started + seconds
        while time.monotonic() < deadline:
            try:
                partner = partner_update(
                    actor=SYSTEM,
                    partner=partner,
                    expected_version=partner.version,
                    data={"phone": f"+49 551 {writes + conflicts + errors}"},
                )
                writes += 1
            except Conflict:
                conflicts += 1
                partner = Partner.objects.get(pk=partner_pk)
            except OperationalError as exc:
                deadlocks += _is_deadlock(exc)
                errors += not _is_deadlock(exc)
                first_error = first_error or str(exc)[:200]
                partner = Partner.objects.get(pk=partner_pk)
        return {
            "writes": writes,
            "conflicts": conflicts,
            "deadlocks": deadlocks,
            "errors": errors,
            "first_error": first_error,
            "seconds": time.monotonic() - started,
        }

    _serve(work)


def counter_worker(partner_pks: list[int], writes: int, seed: int) -> None:
    """`writes` successful increments of the counters of `partner_pks` (read–modify–write
    with the version read; a conflict is retried)."""
    import random

    from django.db import DatabaseError

    from uebergang.core.errors import Conflict
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.models import Partner
    from uebergang.networks.services import partner_update

    rng = random.Random(seed)

    def work() -> dict:
        done: dict[str, int] = {str(pk): 0 for pk in partner_pks}
        conflicts = deadlocks = errors = 0
        first_error = ""
        started = time.monotonic()
        attempts = 0
        while sum(done.values()) < writes and attempts < writes * 200:
            attempts += 1
            pk = rng.choice(partner_pks)
            partner = Partner.objects.get(pk=pk)
            try:
                partner_update(
                    actor=SYSTEM,
                    partner=partner,
                    expected_version=partner.version,
                    data={"phone": str(int(partner.phone) + 1)},
                )
                done[str(pk)] += 1
            except Conflict:
                conflicts += 1
            except DatabaseError as exc:
                deadlocks += _is_deadlock(exc)
                errors += not _is_deadlock(exc)
                first_error = first_error or str(exc)[:200]
        return {
            "done": done,
            "conflicts": conflicts,
            "deadlocks": deadlocks,
            "errors": errors,
            "first_error": first_error,
            "seconds": time.monotonic() - started,
        }

    _serve(work)


def mixed_writer(slug: str, interval: float, seconds: float) -> None:
    """The writer of `run.py`'s mixed run: every `interval` seconds one change in network
    `slug`, alternately a reply to an invitation toggled (attend ↔ decline, through
    `invitation_reply`; invitations of meetings that are invited and not over) and a
    partner's phone number changed (`partner_update`)."""
    from django.utils import timezone

    from uebergang.core.models import Network
    from uebergang.core.permissions import SYSTEM
    from uebergang.meetings.models import Invitation, InvitationKind, MeetingState, Reply
    from uebergang.meetings.services import invitation_reply
    from uebergang.networks.models import Partner
    from uebergang.networks.services import partner_update

    network = Network.objects.get(slug=slug)
    invitations = list(
        Invitation.objects.filter(
            network=network,
            kind=InvitationKind.INVITEE,
            meeting__state=MeetingState.INVITED,
            meeting__ends_at__gt=timezone.now(),
        )
        .order_by("id")
        .values_list("pk", flat=True)[:20]
    )
    partners = list(
        Partner.objects.filter(network=network).order_by("id").values_list("pk", flat=True)[:20]
    )

    def work() -> dict:
        kinds = {"reply": 0, "phone": 0}
        errors = 0
        first_error = ""
        started = time.monotonic()
        deadline = started + seconds
        n = 0
        while time.monotonic() < deadline:
            n += 1
            try:
                if invitations and (n % 2 or not partners):
                    invitation = Invitation.objects.get(pk=invitations[n % len(invitations)])
                    reply = Reply.DECLINE if invitation.reply == Reply.ATTEND else Reply.ATTEND
                    invitation_reply(actor=SYSTEM, invitation=invitation, reply=reply)
                    kinds["reply"] += 1
                else:
                    partner = Partner.objects.get(pk=partners[n % len(partners)])
                    partner_update(
                        actor=SYSTEM,
                        partner=partner,
                        expected_version=partner.version,
                        data={"phone": f"+49 5522 {n:05d}"},
                    )
                    kinds["phone"] += 1
            except Exception as exc:  # noqa: BLE001 (counted and reported)
                errors += 1
                first_error = first_error or f"{type(exc).__name__}: {exc}"[:200]
            pause = started + n * interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        elapsed = time.monotonic() - started
        return {
            "writes": sum(kinds.values()),
            "kinds": kinds,
            "errors": errors,
            "first_error": first_error,
            "seconds": elapsed,
            "invitations": len(invitations),
            "partners": len(partners),
        }

    _serve(work)


# --- the parent ---------------------------------------------------------------------------


class Workers:
    """Writer processes (`manage.py shell -c` calling a function of this module) that start
    together: `start()` waits until each reported READY, `go()` lets them run, `collect()`
    returns their results (None for a process that did not end within the timeout: it is
    killed)."""

    def __init__(self, env: dict, calls: list[str]) -> None:
        self.procs = [
            subprocess.Popen(
                shell_command(f"import bench.writes as w; w.{call}"),
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for call in calls
        ]

    def start(self) -> None:
        for proc in self.procs:
            while True:
                line = proc.stdout.readline()
                if not line:
                    raise RuntimeError(f"writer failed to start:\n{proc.stderr.read()[-3000:]}")
                if line.startswith("READY"):
                    break

    def go(self) -> float:
        for proc in self.procs:
            proc.stdin.write("GO\n")
            proc.stdin.flush()
        return time.monotonic()

    def collect(self, timeout: float) -> list[dict | None]:
        deadline = time.monotonic() + timeout
        results: list[dict | None] = []
        for proc in self.procs:
            try:
                out, err = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                results.append(None)
                continue
            lines = [x for x in out.splitlines() if x.startswith("RESULT ")]
            if not lines:
                results.append({"failed": err[-2000:]})
            else:
                results.append(json.loads(lines[-1][len("RESULT ") :]))
        return results

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()


def _timed(env: dict, partner_pks: list[int], seconds: float) -> dict:
    workers = Workers(env, [f"update_worker({pk}, {seconds})" for pk in partner_pks])
    try:
        workers.start()
        workers.go()
        results = workers.collect(seconds + 60)
    finally:
        workers.stop()
    ok = [r for r in results if r and "writes" in r]
    total = sum(r["writes"] for r in ok)
    elapsed = max((r["seconds"] for r in ok), default=seconds)
    failed = [r for r in results if not (r and "writes" in r)]
    return {
        "rate": total / elapsed if elapsed else 0.0,
        "writes": total,
        "conflicts": sum(r["conflicts"] for r in ok),
        "deadlocks": sum(r["deadlocks"] for r in ok),
        "errors": sum(r["errors"] for r in ok) + len(failed),
        "first_error": next((r["first_error"] for r in ok if r["first_error"]), "")
        or (str(failed[0])[:300] if failed else ""),
    }


def _describe(run: dict) -> str:
    text = (
        f"{run['rate']:8.1f} writes/s ({run['writes']} writes, {run['conflicts']} conflicts, "
        f"{run['deadlocks']} deadlocks, {run['errors']} errors)"
    )
    if run["first_error"]:
        text += f"\n      first error: {run['first_error']}"
    return text


def run(
    env: dict,
    *,
    writers: int = 4,
    seconds: float = 5,
    writes: int = 25,
    shared: int = 2,
    timeout: float = 120,
    label: str = "PostgreSQL",
) -> list[str]:
    """The whole bench on the database of `env` (PostgreSQL); returns the report lines."""
    code = "import json, bench.writes as w; print(json.dumps(w.setup_networks({}, {})))"
    nets = shell(env, code.format(writers, shared))
    lines = [
        f"\n{label}: concurrent writes, {writers} writer processes × {seconds:g} s, "
        "partner_update (phone) as fast as possible"
    ]
    one = _timed(env, nets["one"], seconds)
    lines.append(f"  one network ({ONE_SLUG}, a partner per writer):  {_describe(one)}")
    spread = _timed(env, nets["spread"], seconds)
    names = f"{SPREAD_SLUG.format(1)} … {SPREAD_SLUG.format(writers)}"
    lines.append(f"  spread (a network per writer, {names}): {_describe(spread)}")
    ratio = one["rate"] / spread["rate"] if spread["rate"] else float("nan")
    lines.append(f"  ratio one-network/spread: {ratio:.2f} (goal ≥ 0.8)")

    # Overlapping writers: read-modify-write on the same few partners.
    pks = [int(pk) for pk in nets["shared"]]
    before = shell(env, f"import json, bench.writes as w; print(json.dumps(w.counters({pks})))")
    workers = Workers(env, [f"counter_worker({pks}, {writes}, {seed})" for seed in range(writers)])
    try:
        workers.start()
        started = workers.go()
        results = workers.collect(timeout)
        took = time.monotonic() - started
    finally:
        workers.stop()
    after = shell(env, f"import json, bench.writes as w; print(json.dumps(w.counters({pks})))")
    ok = [r for r in results if r and "done" in r]
    hung = sum(r is None for r in results)
    failed = [r for r in results if r is not None and "done" not in r]
    successes = {str(pk): sum(r["done"][str(pk)] for r in ok) for pk in pks}
    deadlocks = sum(r["deadlocks"] for r in ok)
    lines.append(
        f"  overlapping: {writers} writers × {writes} writes on {len(pks)} partners "
        "(read–modify–write with expected_version, retry on Conflict)"
    )
    lines.append(
        f"    ended: {len(results) - hung}/{len(results)} within {timeout:g} s "
        f"(took {took:.1f} s){'' if not hung else ' – HUNG: ' + str(hung) + ' killed'}; "
        f"conflicts retried: {sum(r['conflicts'] for r in ok)}; deadlocks: {deadlocks} "
        f"(pg_stat_database: +{after['deadlocks'] - before['deadlocks']}); "
        f"errors: {sum(r['errors'] for r in ok) + len(failed)}"
    )
    for r in ok:
        if r["first_error"]:
            lines.append(f"    first error: {r['first_error']}")
            break
    for r in failed:
        lines.append(f"    writer failed: {r['failed'][-500:]}")
    lost = []
    parts = []
    for i, pk in enumerate(pks):
        start_value = int(before["values"][str(pk)])
        end_value = int(after["values"][str(pk)])
        moved, expected = end_value - start_value, successes[str(pk)]
        parts.append(
            f"{COUNTER_NAME.format(i + 1)}: {start_value} → {end_value} "
            f"(+{moved}, {expected} successful writes)"
        )
        if moved != expected:
            lost.append(pk)
    verdict = "no lost update" if not lost else f"LOST UPDATES on {len(lost)} partner(s)"
    total = sum(successes.values())
    lines.append(f"    counters: {'; '.join(parts)} → {verdict} ({total} writes in all)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--writes", type=int, default=25, help="per writer, overlapping run")
    parser.add_argument("--shared", type=int, default=2, help="partners of the overlapping run")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/uebergang_writes"
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="use the database as it is (no drop/create)"
    )
    args = parser.parse_args()
    if not args.postgres_url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/writes.py measures PostgreSQL only")
    tmp = Path(tempfile.mkdtemp(prefix="uebergang-writes-"))
    try:
        if not args.keep_db:
            recreate_postgres_database(args.postgres_url.rsplit("/", 1)[-1])
        env = bench_env(tmp, args.postgres_url)
        manage(env, "migrate", "--noinput")
        lines = run(
            env,
            writers=args.writers,
            seconds=args.seconds,
            writes=args.writes,
            shared=args.shared,
            timeout=args.timeout,
        )
        print("\n".join(lines))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
