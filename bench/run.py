"""Benchmark: gunicorn (2 workers, DEBUG off, persistent connections) with the demo network,
on SQLite and PostgreSQL; wrk measures requests/s and p50/p99 of the trivial view, a bare
50-row page and the main signed-in pages and API lists, and prints each ratio to the trivial
view measured in the same server run.

The same run also generates the large synthetic network (`manage.py synthetic_network`:
20 bodies, 150 people, 300 memberships, 1,200 meetings with 14,000 agenda items and
documents over ten years, times `--synthetic-scale`) and measures, next to the trivial
view, a body's page, a meeting's page, the meeting list and the body's calendar feed there.

Cold and warm, side by side. For each database the pages are measured twice, each time in
its own gunicorn run:

- cold: `CACHE_BACKEND=django.core.cache.backends.dummy.DummyCache` – nothing is cached,
  every page is rendered from the database;
- warm: Redis as the cache (`CACHE_BACKEND=django.core.cache.backends.redis.RedisCache`,
  `CACHE_LOCATION=--redis-url`, default redis://127.0.0.1:6379/7; that Redis database is
  flushed before the run). If Redis does not answer (or the `redis` package is missing),
  the warm run uses LocMemCache (one cache per gunicorn worker) and the table title says so.

One table per database and network: page | cold req/s | cold p99 | cold ratio | warm req/s
| warm p99 | warm ratio. Besides repeating one URL, rows "… pages, rotating over N" cycle
through many different records (a wrk Lua script written to a temp file: all partners, all
bodies and the meetings of the advisory board, at most 200 each; see `bench/pages.py`). The
script counts the responses by their header `X-Page-Cache: hit | miss`; the hit rates are
printed under the table.

Mixed run (warm server): readers (wrk with the rotating script over all those pages of the
synthetic network, else of the demo) while a writer process (`manage.py shell -c`, same
environment; `bench.writes.mixed_writer`) changes records of the same network every
`--write-interval` seconds (default 0.05): an invitation's reply toggled through
`invitation_reply`, alternating with a partner's phone number through `partner_update`.
Printed: req/s, p99, the hit rate and the writer's writes/s.

At the end of the PostgreSQL part, `bench/writes.py` (concurrent writers in one network vs
each in its own, and overlapping read–modify–write writers checked for deadlocks and lost
updates; see its docstring) runs on the same database, with `--seconds` as its duration.

Usage: python bench/run.py [--seconds 5] [--db sqlite,postgres] [--connections 8]
                           [--synthetic-scale 1.0 | --no-synthetic] [--only-synthetic]
                           [--no-cold] [--no-warm] [--no-mixed] [--no-writes]
                           [--redis-url redis://127.0.0.1:6379/7] [--write-interval 0.05]
                           [--writers 4]
       make bench BENCH_ARGS="--seconds 2 --synthetic-scale 0.1"

Each page is warmed up for 2 s (wrk) before it is measured. Timings are printed, never
asserted. A page that fails is reported and the run goes on."""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the project root instead of bench/ on the
    # path (`bench` becomes importable, and bench/profile.py cannot shadow the stdlib's)
    _here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]
    sys.path.insert(0, str(_here.parent))

from bench import writes as write_bench
from bench.common import (
    DUMMY_CACHE,
    LOCMEM_CACHE,
    PY,
    REDIS_CACHE,
    ROOT,
    analyze,
    bench_env,
    manage,
    recreate_postgres_database,
    shell,
)

WARM_UP_SECONDS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PREPARE = r"""
import json
from django.test import Client
from uebergang.accounts.models import User
from uebergang.accounts.services import api_token_create
from uebergang.networks import demo
from bench.pages import demo_pages
user = User.objects.get(email=demo.COORDINATION_EMAIL)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
_, token = api_token_create(actor=user, name="bench")
print(json.dumps({"session": client.cookies["sessionid"].value, "token": token,
                  **demo_pages()}))
"""


SYNTHETIC_SLUG = "synthetisch"

# The synthetic network: the demo's coordination account coordinates it too; a calendar feed
# of its advisory board gives the feed's token. Paths come from the URL names
# (`bench/pages.py`), so that a renamed address does not break the bench (a missing page is
# reported, not fatal).
PREPARE_SYNTHETIC = r"""
import json
from uebergang.accounts.models import User
from uebergang.accounts.services import network_role_grant
from uebergang.bodies.models import Body
from uebergang.core.models import Network
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services
from uebergang.networks import demo
from bench.pages import path, synthetic_pages
slug = "%(slug)s"
network = Network.objects.get(slug=slug)
user = User.objects.get(email=demo.COORDINATION_EMAIL)
network_role_grant(actor=SYSTEM, network=network, user=user, role="coordination")
body = Body.objects.get(network=network, kind="advisory_board")
_, token = services.calendar_feed_create(actor=user, network=network, body=body, name="bench")
print(json.dumps({**synthetic_pages(slug), "feed": path("calendar_feed", token)}))
"""


def prepare(env: dict, synthetic_scale: float | None) -> dict:
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    ctx = shell(env, PREPARE)
    if synthetic_scale:
        started = time.monotonic()
        out = manage(
            env, "synthetic_network", "--slug", SYNTHETIC_SLUG, "--scale", str(synthetic_scale)
        )
        print(out.strip(), f"(mit Aufruf {time.monotonic() - started:.1f} s)", flush=True)
        ctx["synthetic"] = shell(env, PREPARE_SYNTHETIC % {"slug": SYNTHETIC_SLUG})
    analyze(env)
    return ctx


# --- wrk -----------------------------------------------------------------------------------

# Cycles through PATHS (each thread from its own offset) and counts the responses by their
# X-Page-Cache header; `done` sums the threads' counts (wrk's SCRIPTING: setup/init/done).
LUA = r"""
-- written by bench/run.py: rotate over many paths, count X-Page-Cache hit/miss
local paths = {
%(paths)s
}
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  i = id * 7919
  hits, misses, uncached, failed = 0, 0, 0, 0
end

function request()
  i = i + 1
  return wrk.format(nil, paths[(i %% #paths) + 1])
end

function response(status, headers, body)
  if status >= 400 then failed = failed + 1 end
  local state = nil
  for name, value in pairs(headers) do
    if string.lower(name) == "x-page-cache" then state = value end
  end
  if state == "hit" then hits = hits + 1
  elseif state == "miss" then misses = misses + 1
  else uncached = uncached + 1 end
end

function done(summary, latency, requests)
  local h, m, u, f = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    u = u + thread:get("uncached")
    f = f + thread:get("failed")
  end
  io.write(string.format("PAGE-CACHE hits=%%d misses=%%d uncached=%%d failed=%%d\n", h, m, u, f))
end
"""


def lua_script(paths: list[str], folder: Path) -> Path:
    def quoted(p: str) -> str:
        return '"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"'

    script = Path(tempfile.mkstemp(suffix=".lua", dir=folder)[1])
    script.write_text(LUA % {"paths": ",\n".join(f"  {quoted(p)}" for p in paths)})
    return script


@dataclass
class Result:
    rps: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    hits: int | None = None
    misses: int | None = None
    error: str = ""

    @property
    def hit_rate(self) -> float | None:
        if self.hits is None or not (self.hits + self.misses):
            return None
        return self.hits / (self.hits + self.misses)


def wrk(
    url: str, seconds: int, connections: int, headers: list[str], script: Path | None = None
) -> Result:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        cmd += ["-H", header]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} responses were not 2xx/3xx")

    def pct(p: str) -> float:
        m = re.search(rf"{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    result = Result(rps, pct("50"), pct("99"))
    counted = re.search(r"PAGE-CACHE hits=(\d+) misses=(\d+)", out)
    if counted:
        result.hits, result.misses = int(counted.group(1)), int(counted.group(2))
    return result


def wait_until_ready(url: str, attempts: int = 100) -> None:
    """Both workers answer (the first requests also warm up imports and connections)."""
    import urllib.request

    answered = 0
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local)
                answered += response.status == 200
        except OSError:
            time.sleep(0.1)
        if answered >= 20:
            return


@dataclass
class Row:
    """A page to measure: one path, or a list of paths to rotate over."""

    label: str
    target: str | list[str]
    headers: list[str]


def measure(
    base: str, rows: list[Row], seconds: int, connections: int, folder: Path
) -> list[Result]:
    """wrk for each row after a warm-up; a failing row gives a Result with `error`."""
    results: list[Result] = []
    for row in rows:
        paths = row.target if isinstance(row.target, list) else [row.target]
        missing = next((p for p in paths if p.startswith("missing:")), None)
        if missing or not paths:
            results.append(Result(error=missing or "no paths"))
            continue
        script = lua_script(paths, folder) if isinstance(row.target, list) else None
        try:
            wrk(base + paths[0], WARM_UP_SECONDS, connections, row.headers, script)
            results.append(wrk(base + paths[0], seconds, connections, row.headers, script))
        except (RuntimeError, AttributeError, subprocess.TimeoutExpired) as exc:
            results.append(Result(error=f"fehlgeschlagen: {exc}"))
    return results


# --- servers and caches ----------------------------------------------------------------------

WORKERS = 2  # gunicorn workers (--workers)


def set_workers(count: int) -> None:
    global WORKERS  # noqa: PLW0603 (one setting of the run, read by server())
    WORKERS = count


@contextlib.contextmanager
def server(env: dict) -> Iterator[str]:
    """gunicorn -w WORKERS with `env`; yields its base URL once the workers answer."""
    port = free_port()
    proc = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--env",
            "DJANGO_SETTINGS_MODULE=bench.settings",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(base + "/gesundheit/")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def warm_cache(redis_url: str) -> tuple[dict[str, str], str]:
    """The cache of the warm run: Redis at `redis_url`, flushed; LocMemCache if Redis does
    not answer. Returns (environment, description for the table title)."""
    try:
        import redis

        client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
        client.flushdb()
        client.close()
    except Exception as exc:  # noqa: BLE001 (any failure: fall back, and say so)
        why = f"{type(exc).__name__}: {exc}"[:80]
        return (
            {"CACHE_BACKEND": LOCMEM_CACHE, "CACHE_LOCATION": "bench"},
            f"LocMemCache per worker (Redis not reachable – {why})",
        )
    return {"CACHE_BACKEND": REDIS_CACHE, "CACHE_LOCATION": redis_url}, f"Redis {redis_url}"


# --- the tables ------------------------------------------------------------------------------


def report(
    title: str, rows: list[Row], cold: list[Result] | None, warm: list[Result] | None
) -> None:
    def trivial(results: list[Result] | None) -> float | None:
        if not results or results[0].error or not results[0].rps:
            return None
        return results[0].rps

    def cells(results: list[Result] | None, i: int) -> str:
        if results is None:
            return f"{'–':>10} {'–':>8} {'–':>7}"
        r = results[i]
        if r.error:
            return f"{'failed':>10} {'':>8} {'':>7}"
        base = trivial(results)
        ratio = f"{r.rps / base:7.3f}" if base else f"{'–':>7}"
        return f"{r.rps:10.1f} {r.p99:8.2f} {ratio}"

    print(f"\n{title}")
    header = (
        f"{'page':42} {'cold req/s':>10} {'cold p99':>8} {'cold ratio':>7} "
        f"{'warm req/s':>10} {'warm p99':>8} {'warm ratio':>7}"
    )
    print(header)
    notes = []
    for i, row in enumerate(rows):
        print(f"{row.label[:42]:42} {cells(cold, i)} {cells(warm, i)}")
        for mode, results in (("cold", cold), ("warm", warm)):
            if results is None:
                continue
            r = results[i]
            if r.error:
                notes.append(f"  {row.label} ({mode}): {r.error}")
            elif r.hit_rate is not None:
                notes.append(
                    f"  {row.label} ({mode}): X-Page-Cache hit rate {r.hit_rate:6.1%} "
                    f"({r.hits} hits, {r.misses} misses)"
                )
    print("(p99 in ms; ratio: req/s over the trivial view's in the same server run)")
    for note in notes:
        print(note)


def mixed_run(
    base: str,
    env: dict,
    slug: str,
    paths: list[str],
    headers: list[str],
    seconds: int,
    connections: int,
    interval: float,
    folder: Path,
) -> list[str]:
    """Readers rotating over `paths` while one writer changes records of network `slug`."""
    script = lua_script(paths, folder)
    writer = write_bench.Workers(env, [f"mixed_writer({slug!r}, {interval}, {seconds})"])
    try:
        writer.start()
        writer.go()
        try:
            reads = wrk(base + paths[0], seconds, connections, headers, script)
        except (RuntimeError, AttributeError, subprocess.TimeoutExpired) as exc:
            reads = Result(error=str(exc))
        [written] = writer.collect(seconds + 30)
    finally:
        writer.stop()
    if reads.error:
        lines = [f"  readers failed: {reads.error}"]
    else:
        rate = f"{reads.hit_rate:.1%}" if reads.hit_rate is not None else "–"
        lines = [
            f"  readers: {reads.rps:.1f} req/s, p50 {reads.p50:.2f} ms, p99 {reads.p99:.2f} ms, "
            f"X-Page-Cache hit rate {rate} ({reads.hits} hits, {reads.misses} misses)"
        ]
    if written is None:
        lines.append("  writer: did not end in time (killed)")
    elif "failed" in written:
        lines.append(f"  writer failed: {written['failed'][-500:]}")
    else:
        kinds = ", ".join(f"{v} {k}" for k, v in written["kinds"].items())
        lines.append(
            f"  writer: {written['writes'] / written['seconds']:.1f} writes/s "
            f"({written['writes']} writes: {kinds}; {written['errors']} errors)"
        )
        if written["first_error"]:
            lines.append(f"    first error: {written['first_error']}")
    return lines


def run_db(
    label: str,
    database_url: str | None,
    seconds: int,
    connections: int,
    synthetic_scale: float | None = 1.0,
    only_synthetic: bool = False,
    cold: bool = True,
    warm: bool = True,
    mixed: bool = True,
    writes: bool = False,
    redis_url: str = "redis://127.0.0.1:6379/7",
    write_interval: float = 0.05,
    writers: int = 4,
) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"uebergang-bench-{label}-"))
    env = bench_env(tmp, database_url)
    try:
        ctx = prepare(env, synthetic_scale)
        session = [f"Cookie: sessionid={ctx['session']}"]
        auth = {"none": [], "session": session, "token": [f"Authorization: Bearer {ctx['token']}"]}
        trivial = Row("trivial view /gesundheit/", "/gesundheit/", [])
        demo_rows = [
            trivial,
            Row("bare Django page, 50 rows", "/bench/bare-50/", []),
            *(Row(lbl, p, auth[a]) for lbl, p, a in ctx["pages"]),
            *(Row(lbl, paths, session) for lbl, paths in ctx["rotating"]),
        ]
        tables = [] if only_synthetic else [("demo network", demo_rows)]
        syn = ctx.get("synthetic")
        if syn:
            syn_rows = [
                trivial,
                Row("body page (Beirat)", syn["body"], session),
                Row(f"meeting page ({syn['agenda_items']} TOP)", syn["meeting"], session),
                Row("meeting list", syn["meeting_list"], session),
                Row("topic list", syn["topic_list"], session),
                Row("topic board", syn["topic_board"], session),
                Row("topic page", syn["topic"], session),
                Row("decisions and tasks", syn["follow_up"], session),
                Row("body calendar feed (.ics)", syn["feed"], []),
                *(Row(lbl, paths, session) for lbl, paths in syn["rotating"]),
            ]
            tables.append((f"synthetic network (scale {synthetic_scale})", syn_rows))
        all_rows = [row for _, rows in tables for row in rows]
        cold_results = warm_results = None
        cache_note = ""
        mixed_lines: list[str] = []
        if cold:
            with server({**env, "CACHE_BACKEND": DUMMY_CACHE, "CACHE_LOCATION": ""}) as base:
                cold_results = measure(base, all_rows, seconds, connections, tmp)
        if warm or mixed:
            cache_env, cache_note = warm_cache(redis_url)
            with server({**env, **cache_env}) as base:
                if warm:
                    warm_results = measure(base, all_rows, seconds, connections, tmp)
                if mixed:
                    source = syn or ctx
                    slug = syn["slug"] if syn else ctx["slug"]
                    paths = [p for _, ps in source["rotating"] for p in ps]
                    if syn:
                        paths += [syn["body"], syn["meeting"], syn["meeting_list"]]
                    else:
                        paths += [p for _, p, a in ctx["pages"] if a == "session"]
                    mixed_lines = [
                        f"\n{label}, mixed run ({'synthetic' if syn else 'demo'} network "
                        f"{slug}, warm: {cache_note}): wrk -t2 -c{connections} -d{seconds}s "
                        f"rotating over {len(paths)} pages, one writer every "
                        f"{write_interval * 1000:g} ms",
                        *mixed_run(
                            base,
                            {**env, **cache_env},
                            slug,
                            paths,
                            session,
                            seconds,
                            connections,
                            write_interval,
                            tmp,
                        ),
                    ]
        write_lines = (
            write_bench.run(env, writers=writers, seconds=seconds, label=label) if writes else []
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    start = 0
    for name, rows in tables:
        part = slice(start, start + len(rows))
        start += len(rows)
        report(
            f"{label}, {name}: gunicorn -w {WORKERS}, wrk -t2 -c{connections} -d{seconds}s; "
            f"cold: DummyCache, warm: {cache_note or '–'}",
            rows,
            cold_results[part] if cold_results is not None else None,
            warm_results[part] if warm_results is not None else None,
        )
    for line in mixed_lines + write_lines:
        print(line)
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers")
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/uebergang_bench"
    )
    parser.add_argument(
        "--synthetic-scale",
        type=float,
        default=1.0,
        help="size of the synthetic network (1.0: 1,200 meetings, 14,000 agenda items)",
    )
    parser.add_argument("--no-synthetic", action="store_true")
    parser.add_argument(
        "--only-synthetic", action="store_true", help="measure only the synthetic network"
    )
    parser.add_argument("--no-cold", action="store_true", help="skip the cold (DummyCache) run")
    parser.add_argument("--no-warm", action="store_true", help="skip the warm (Redis) run")
    parser.add_argument("--no-mixed", action="store_true", help="skip readers + writer")
    parser.add_argument(
        "--no-writes", action="store_true", help="skip bench/writes.py on PostgreSQL"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument(
        "--write-interval", type=float, default=0.05, help="seconds between the mixed writes"
    )
    parser.add_argument("--writers", type=int, default=4, help="writer processes, writes.py")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk fehlt: apt-get install wrk")
    set_workers(args.workers)
    scale = None if args.no_synthetic else args.synthetic_scale
    options = {
        "synthetic_scale": scale,
        "only_synthetic": args.only_synthetic and bool(scale),
        "cold": not args.no_cold,
        "warm": not args.no_warm,
        "mixed": not args.no_mixed,
        "redis_url": args.redis_url,
        "write_interval": args.write_interval,
        "writers": args.writers,
    }
    for db in args.db.split(","):
        if db == "sqlite":
            run_db("SQLite", None, args.seconds, args.connections, **options)
        elif db == "postgres":
            recreate_postgres_database(args.postgres_url.rsplit("/", 1)[-1])
            run_db(
                "PostgreSQL",
                args.postgres_url,
                args.seconds,
                args.connections,
                writes=not args.no_writes,
                **options,
            )


if __name__ == "__main__":
    main()
