"""Profile the signed-in pages in-process (no server): where does a cold page spend its time?

Builds a temporary SQLite database (or, with `--database-url`, a PostgreSQL one) as
`bench/run.py` does (migrate, `load_demo`, `collectstatic`, `synthetic_network --scale S`),
with the cache off (`CACHE_BACKEND=django.core.cache.backends.dummy.DummyCache`: every page
is rendered from the database) and DEBUG False (`bench.settings`, cached templates, manifest static files). Then
renders each signed-in page of run.py's list with `django.test.Client` – start page,
dashboard, partner list and detail, seats and a seat, people, history, bodies, the demo's
advisory board, the synthetic network's body page, meeting page and meeting list – signed
in as the demo's coordination account (`force_login`), and the body and meeting pages also
as a member (the demo's member account; in the synthetic network it is given the member
role and linked to a current member of the advisory board).

Per page it prints: the mean and median time of `--repeat` renders (after one unmeasured
render that compiles templates and fills connections), the median CPU time of this process
and its ratio to the bare 50-row page (the first row, the reference of the goals), the
Python function calls of one render and their ratio to the bare page's (deterministic: on
a busy machine compare these), the number of database queries of one render
(`CaptureQueriesContext`), the time spent waiting for the database (db ms: on PostgreSQL
each query is a round trip, on SQLite a function call), the mean time spent in Python's
garbage collector per render (gc ms, `gc.callbacks`) and the response size.

Usage:
    python bench/profile.py [--scale 0.2] [--repeat 30] [--only KEY,KEY]
    python bench/profile.py --profile syn-meeting [--top 30] [--sort cumulative]
    python bench/profile.py --profile syn-meeting --pyinstrument     (if pyinstrument is
                                                                      installed)
    python bench/profile.py --var-dir /tmp/prof --keep   (build once, keep the folder …)
    python bench/profile.py --var-dir /tmp/prof --profile dashboard  (… and reuse it)
    python bench/profile.py --var-dir /tmp/profpg \
        --database-url postgres://postgres@127.0.0.1:5432/uebergang_profile

`KEY` is the first column of the table (e.g. start, dashboard, partner-detail, body-detail,
syn-body, syn-meeting, syn-meeting-list, member-syn-meeting); `--profile KEY` prints the
cProfile top `--top` (default 30) functions by cumulative time over `--repeat` renders of
that page. Timings are printed, never asserted; run it on a quiet machine."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the path – and this file would shadow the
# standard library's `profile`, which cProfile imports: put the project root there instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

SYNTHETIC_SLUG = "synthetisch"
BARE = "/bench/bare-50/"  # bench/urls.py: the reference page
BUILT = "profile-built"  # in the var folder once the database is built: reused next time


def configure(var_dir: Path, database_url: str = "") -> None:
    """The environment of the bench, cache off, then Django (SQLite in `var_dir`, or the
    database `database_url` names)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "UEBERGANG_VAR_DIR": str(var_dir),
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "CONN_MAX_AGE": "600",
            "DJANGO_DEBUG": "0",
            "CACHE_BACKEND": "django.core.cache.backends.dummy.DummyCache",
            "CACHE_LOCATION": "",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def build(scale: float) -> None:
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if scale:
        call_command("synthetic_network", slug=SYNTHETIC_SLUG, scale=scale, verbosity=0)
    from bench.pages import analyze

    analyze()
    print(f"database built in {time.monotonic() - started:.1f} s", flush=True)
    (Path(os.environ["UEBERGANG_VAR_DIR"]) / BUILT).write_text(os.environ.get("DATABASE_URL", ""))


def page_list(synthetic: bool) -> list[tuple[str, str, str, str]]:
    """(key, label, path, who) for every page; who is "coordination" or "member"."""
    from django.utils.text import slugify

    from bench.pages import demo_pages, synthetic_pages

    demo = demo_pages()
    pages = [
        (slugify(label.split(" (")[0]), label, path, "coordination")
        for label, path, auth in demo["pages"]
        if auth == "session"
    ]
    pages += [
        ("member-" + slugify(label.split(" (")[0]), label, path, "member")
        for label, path in demo["member_pages"]
    ]
    if synthetic:
        syn = synthetic_pages(SYNTHETIC_SLUG)
        meeting = f"meeting page ({syn['agenda_items']} TOP)"
        pages += [
            ("syn-body", "synthetic: body page (Beirat)", syn["body"], "coordination"),
            ("syn-meeting", f"synthetic: {meeting}", syn["meeting"], "coordination"),
            ("syn-meeting-list", "synthetic: meeting list", syn["meeting_list"], "coordination"),
            ("syn-topics", "synthetic: topics", syn["topic_list"], "coordination"),
            ("syn-topic-board", "synthetic: topic board", syn["topic_board"], "coordination"),
            ("syn-topic", "synthetic: topic page", syn["topic"], "coordination"),
            ("syn-follow-up", "synthetic: decisions and tasks", syn["follow_up"], "coordination"),
            ("member-syn-body", "synthetic: body page (Beirat)", syn["body"], "member"),
            ("member-syn-meeting", f"synthetic: {meeting}", syn["meeting"], "member"),
            ("member-syn-topic", "synthetic: topic page", syn["topic"], "member"),
        ]
    return pages


def clients(synthetic: bool) -> dict:
    """A signed-in test client for the coordination account and one for a member."""
    from django.test import Client

    from uebergang.accounts.models import User
    from uebergang.accounts.services import network_role_grant
    from uebergang.core.models import Network
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks import demo

    coordination = User.objects.get(email=demo.COORDINATION_EMAIL)
    member = User.objects.get(email=demo.MEMBER_EMAIL)
    if synthetic:
        network = Network.objects.get(slug=SYNTHETIC_SLUG)
        network_role_grant(actor=SYSTEM, network=network, user=coordination, role="coordination")
        network_role_grant(actor=SYSTEM, network=network, user=member, role="member")
        _link_member(network, member)
    out = {}
    for who, user in (("coordination", coordination), ("member", member)):
        client = Client()
        client.force_login(user)
        out[who] = client
    return out


def _link_member(network, user) -> None:
    """The member account signs in as a current member of the synthetic advisory board
    (the synthetic people have no accounts): it may see the board and its meetings."""
    from uebergang.bodies.models import Body, Membership
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.models import Person
    from uebergang.networks.services import person_link_account

    if Person.objects.filter(network=network, user=user).exists():
        return
    board = Body.objects.get(network=network, kind="advisory_board")
    membership = (
        Membership.objects.filter(body=board, valid_to__isnull=True, person__user__isnull=True)
        .select_related("person")
        .order_by("id")
        .first()
    )
    if membership is not None:
        person_link_account(actor=SYSTEM, person=membership.person, user=user)


def get(client, path: str):
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return response


def measure(
    client, path: str, repeat: int
) -> tuple[list[float], int, int, list[float], int, list[float]]:
    """Render times (ms, wall clock), queries of one render, response size (bytes), CPU
    times (ms, this process only: less disturbed by other work on the machine), the
    Python function calls of one render (deterministic: compare runs on a busy machine) and
    the wall-clock time spent waiting for the database per render (ms: sending the query,
    the server's work, fetching the rows; without building model objects)."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get(client, path)  # compile templates, open the connection
    with CaptureQueriesContext(connection) as captured:
        response = get(client, path)
    queries = len(captured.captured_queries)  # now: the next request clears the log
    profiler = cProfile.Profile()
    profiler.enable()
    get(client, path)
    profiler.disable()
    calls = pstats.Stats(profiler).total_calls
    times, cpu, in_db = [], [], []
    waited = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            result = execute(sql, params, many, context)
            cursor = context["cursor"]
            if not many and cursor.description is not None:  # fetch now, inside the timing
                rows = cursor.fetchall()
                cursor.fetchall = lambda: rows
                cursor.fetchmany = _fetchmany(rows)
                cursor.fetchone = lambda: rows.pop(0) if rows else None
            return result
        finally:
            waited[0] += time.perf_counter() - started

    import gc

    in_gc, gc_started = [0.0], [0.0]

    def gc_timer(phase, info):
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            in_gc[0] += time.perf_counter() - gc_started[0]

    gc_times = []
    gc.callbacks.append(gc_timer)
    try:
        with connection.execute_wrapper(timed):
            for _ in range(repeat):
                waited[0] = 0.0
                in_gc[0] = 0.0
                started, started_cpu = time.perf_counter(), time.process_time()
                get(client, path)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                in_db.append(waited[0] * 1000)
                gc_times.append(in_gc[0] * 1000)
    finally:  # also when a render fails (the run goes on with the next page)
        gc.callbacks.remove(gc_timer)
    return times, queries, len(response.content), cpu, calls, in_db, gc_times


def _fetchmany(rows: list):
    def fetchmany(size: int = 100):
        taken = rows[:size]
        del rows[:size]
        return taken

    return fetchmany


def profile_page(
    client, path: str, repeat: int, top: int, sort: str, pyinstrument: bool, callers: str = ""
) -> None:
    import cProfile
    import pstats

    get(client, path)
    if pyinstrument:
        try:
            from pyinstrument import Profiler
        except ImportError:
            print("pyinstrument is not installed (pip install pyinstrument); cProfile instead")
        else:
            profiler = Profiler()
            profiler.start()
            for _ in range(repeat):
                get(client, path)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False))
            return
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        get(client, path)
    profiler.disable()
    stats = _shorten_paths(pstats.Stats(profiler, stream=sys.stdout))
    stats.sort_stats(sort).print_stats(top)
    if callers:
        stats.print_callers(callers)


def _shorten_paths(stats):
    """Like `pstats.Stats.strip_dirs`, but keep the path below the project, site-packages
    or the standard library (django/db/models/query.py, uebergang/core/web.py …)."""
    import sysconfig

    prefixes = [  # the virtual environment lies inside the project: look there first
        sysconfig.get_paths()["purelib"] + "/",
        sysconfig.get_paths()["stdlib"] + "/",
        str(ROOT) + "/",
    ]

    def short(func: tuple) -> tuple:
        name = func[0]
        for prefix in prefixes:
            if name.startswith(prefix):
                return (name[len(prefix) :], *func[1:])
        return func

    stats.stats = {
        short(func): (cc, nc, tt, ct, {short(c): v for c, v in callers.items()})
        for func, (cc, nc, tt, ct, callers) in stats.stats.items()
    }
    stats.top_level = {short(func) for func in stats.top_level}
    stats.fcn_list = None
    stats.all_callees = None
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.2, help="synthetic network, 0: none")
    parser.add_argument("--repeat", type=int, default=30, help="renders per page")
    parser.add_argument("--only", default="", help="comma-separated keys of pages to measure")
    parser.add_argument("--profile", metavar="KEY", help="cProfile this page")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--pyinstrument", action="store_true", help="pyinstrument, if installed")
    parser.add_argument(
        "--callers", metavar="PATTERN", help="with --profile: who calls the functions matching it"
    )
    parser.add_argument("--var-dir", help="build here (reused if it holds a database)")
    parser.add_argument(
        "--database-url",
        default="",
        help="profile on this database instead of SQLite (e.g. "
        "postgres://postgres@127.0.0.1:5432/uebergang_profile; built once per --var-dir)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    var_dir = Path(args.var_dir or tempfile.mkdtemp(prefix="uebergang-profile-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    built = var_dir / BUILT
    reuse = (built.exists() and built.read_text() == args.database_url) or (
        not args.database_url and (var_dir / "uebergang.sqlite3").exists()  # built before BUILT
    )
    try:
        if args.database_url and not reuse:
            from bench.common import recreate_postgres_database

            recreate_postgres_database(args.database_url.rsplit("/", 1)[-1])
        configure(var_dir, args.database_url)
        if reuse:
            print(f"reusing the database in {var_dir}")
        else:
            build(args.scale)
        synthetic = bool(args.scale) and _has_synthetic()
        pages = page_list(synthetic)
        by_who = clients(synthetic)
        from config.wsgi import freeze_loaded  # what each server process does

        freeze_loaded()  # (again: with the clients' objects)
        keys = {k for k in args.only.split(",") if k}
        if args.profile:
            keys = {args.profile}
        chosen = [p for p in pages if not keys or p[0] in keys]
        if keys - {p[0] for p in pages}:
            sys.exit(f"unknown page {sorted(keys)}; known: {', '.join(p[0] for p in pages)}")
        if args.profile:
            key, label, path, who = chosen[0]
            print(f"\ncProfile of {label} ({path}) as {who}, {args.repeat} renders:")
            profile_page(
                by_who[who], path, args.repeat, args.top, args.sort, args.pyinstrument, args.callers
            )
            return
        print(
            f"\nin-process, DummyCache, DEBUG False, "
            f"{'PostgreSQL' if args.database_url else 'SQLite'}, synthetic scale {args.scale}, "
            f"{args.repeat} renders per page"
        )
        print(
            f"{'key':22} {'page':38} {'as':12} {'mean ms':>8} {'median':>8} {'cpu ms':>7} "
            f"{'x bare':>6} {'calls':>7} {'x bare':>6} {'queries':>7} {'db ms':>6} {'gc ms':>6} "
            f"{'size KB':>8}"
        )
        from django.test import Client

        bare = None
        rows = [("bare-50", "bare Django page, 50 rows (reference)", BARE, "anonymous")]
        for key, label, path, who in rows + chosen:
            client = Client() if who == "anonymous" else by_who[who]
            try:
                times, queries, size, cpu, calls, in_db, in_gc = measure(client, path, args.repeat)
            except Exception as exc:  # noqa: BLE001 (reported, the run goes on)
                print(f"{key:22} {label[:38]:38} {who:12} failed: {type(exc).__name__}: {exc}")
                continue
            cpu_ms = statistics.median(cpu)
            bare = bare or (cpu_ms, calls)
            print(
                f"{key:22} {label[:38]:38} {who:12} {statistics.fmean(times):8.1f} "
                f"{statistics.median(times):8.1f} {cpu_ms:7.1f} {cpu_ms / bare[0]:6.1f} "
                f"{calls:7d} {calls / bare[1]:6.1f} {queries:7d} {statistics.median(in_db):6.1f} "
                f"{statistics.fmean(in_gc):6.2f} "
                f"{size / 1024:8.1f}"
            )
        print(
            "\ncpu ms: median CPU time of this process per render; x bare: against the bare "
            "page (the goals ask a signed-in page for at most 3x bare cold, bench/run.py "
            "measures them over HTTP); calls: Python function calls of one render (cProfile); "
            "db ms: median wall-clock time per render spent in the database driver (query "
            "sent, rows fetched; model objects not included)."
        )
    finally:
        if args.keep or args.var_dir:
            print(f"\n(the database stays in {var_dir})")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def _has_synthetic() -> bool:
    from uebergang.core.models import Network

    return Network.objects.filter(slug=SYNTHETIC_SLUG).exists()


if __name__ == "__main__":
    main()
