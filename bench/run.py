"""Benchmark: gunicorn (2 workers, DEBUG off, persistent connections) with the demo network,
on SQLite and PostgreSQL; wrk measures requests/s and p50/p99 of the trivial view, a bare
50-row page and the main signed-in pages and API lists, and prints each ratio to the trivial
view.

The same run also generates the large synthetic network (`manage.py synthetic_network`:
20 bodies, 150 people, 300 memberships, 1,200 meetings with 14,000 agenda items and
documents over ten years) and measures, next to the trivial view, a body's page, a meeting's
page, the meeting list and the body's calendar feed there.

Usage: python bench/run.py [--seconds 5] [--db sqlite,postgres] [--connections 8]
                           [--synthetic-scale 1.0 | --no-synthetic] [--only-synthetic]

Timings are printed, never asserted. A page that fails is reported and the run goes on."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


PREPARE = r"""
import json
from django.test import Client
from uebergang.accounts.models import User
from uebergang.accounts.services import api_token_create
from uebergang.networks import demo
from uebergang.networks.models import Partner, ConstituencySeat
user = User.objects.get(email=demo.COORDINATION_EMAIL)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
_, token = api_token_create(actor=user, name="bench")
partner = Partner.objects.filter(network__slug=demo.SLUG, name="Landkreis Osterode am Harz").first()
seat = ConstituencySeat.objects.filter(network__slug=demo.SLUG).order_by("name").first()
from uebergang.bodies.models import Body
body = Body.objects.filter(network__slug=demo.SLUG, kind="advisory_board").first()
print(json.dumps({"session": client.cookies["sessionid"].value, "token": token,
                  "partner": str(partner.public_id), "seat": str(seat.public_id),
                  "body": str(body.public_id)}))
"""


SYNTHETIC_SLUG = "synthetisch"

# The synthetic network: the demo's coordination account coordinates it too; a calendar feed
# of its advisory board gives the feed's token. Paths come from the URL names, so that a
# renamed address does not break the bench (a missing page is reported, not fatal).
PREPARE_SYNTHETIC = r"""
import json
from django.urls import NoReverseMatch, reverse
from uebergang.accounts.models import User
from uebergang.accounts.services import network_role_grant
from uebergang.bodies.models import Body
from uebergang.core.models import Network
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services
from uebergang.meetings.models import Meeting
from uebergang.networks import demo
slug = "%(slug)s"
network = Network.objects.get(slug=slug)
user = User.objects.get(email=demo.COORDINATION_EMAIL)
network_role_grant(actor=SYSTEM, network=network, user=user, role="coordination")
body = Body.objects.get(network=network, kind="advisory_board")
meeting = (Meeting.objects.filter(body=body, state="minutes_approved")
           .order_by("-starts_at").first())
_, token = services.calendar_feed_create(actor=user, network=network, body=body, name="bench")
def path(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch as exc:
        return "missing: " + str(exc)[:200]
print(json.dumps({
    "body": path("bodies:body_detail", slug, body.public_id),
    "meeting": path("meetings:meeting_detail", slug, meeting.public_id),
    "meeting_list": path("meetings:meeting_list", slug),
    "feed": "/kalender/%%s.ics" %% token,
    "agenda_items": meeting.agenda_items.count(),
}))
"""


def shell(env: dict, code: str) -> dict:
    import json

    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


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
    return ctx


def wrk(url: str, seconds: int, connections: int, headers: list[str]) -> tuple[float, float, float]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        cmd += ["-H", header]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} responses were not 2xx/3xx")

    def pct(p: str) -> float:
        m = re.search(rf"{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return rps, pct("50"), pct("99")


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


def measure(
    base: str, pages: list[tuple[str, str, list[str]]], seconds: int, connections: int
) -> list[tuple[str, float, float, float] | tuple[str, str]]:
    """wrk for each page after a warm-up; a failing page gives (label, reason)."""
    results: list[tuple[str, float, float, float] | tuple[str, str]] = []
    for label, path, headers in pages:
        if path.startswith("missing:"):
            results.append((label, path))
            continue
        try:
            wrk(base + path, 2, connections, headers)  # warm up
            results.append((label, *wrk(base + path, seconds, connections, headers)))
        except (RuntimeError, AttributeError, subprocess.TimeoutExpired) as exc:
            results.append((label, f"fehlgeschlagen: {exc}"))
    return results


def report(title: str, results: list) -> None:
    trivial = results[0][1] if len(results[0]) == 4 else None
    print(f"\n{title}")
    print(f"{'page':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7}")
    for row in results:
        if len(row) != 4:
            print(f"{row[0]:40} {row[1]}")
            continue
        lbl, rps, p50, p99 = row
        ratio = f"{rps / trivial:7.3f}" if trivial else "      –"
        print(f"{lbl:40} {rps:9.1f} {p50:8.2f} {p99:8.2f} {ratio}")


def run_db(
    label: str,
    database_url: str | None,
    seconds: int,
    connections: int,
    synthetic_scale: float | None = 1.0,
    only_synthetic: bool = False,
) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"uebergang-bench-{label}-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "UEBERGANG_VAR_DIR": str(tmp),
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "600",
        "DJANGO_DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    ctx = prepare(env, synthetic_scale)
    port = free_port()
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
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
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        wait_until_ready(base + "/gesundheit/")
        session = [f"Cookie: sessionid={ctx['session']}"]
        token = [f"Authorization: Bearer {ctx['token']}"]
        n = "/n/osterode"
        a = "/api/v1/networks/osterode"
        pages = [
            ("trivial view /gesundheit/", "/gesundheit/", []),
            ("bare Django page, 50 rows", "/bench/bare-50/", []),
            ("start page", f"{n}/", session),
            ("dashboard", f"{n}/uebersicht/", session),
            ("partner list", f"{n}/partner/", session),
            ("partner detail", f"{n}/partner/{ctx['partner']}/", session),
            ("seats", f"{n}/sammelvertretungen/", session),
            ("seat detail", f"{n}/sammelvertretungen/{ctx['seat']}/", session),
            ("people", f"{n}/personen/", session),
            ("history", f"{n}/verlauf/", session),
            ("bodies", f"{n}/gremien/", session),
            ("body detail (Beirat)", f"{n}/gremien/{ctx['body']}/", session),
            ("API partners", f"{a}/partners", token),
            ("API people", f"{a}/people", token),
            ("API seats", f"{a}/seats", token),
            ("API history", f"{a}/history", token),
            ("API bodies", f"{a}/bodies", token),
        ]
        results = [] if only_synthetic else measure(base, pages, seconds, connections)
        synthetic = []
        if "synthetic" in ctx:
            syn = ctx["synthetic"]
            synthetic = measure(
                base,
                [
                    ("trivial view /gesundheit/", "/gesundheit/", []),
                    ("body page (Beirat)", syn["body"], session),
                    (f"meeting page ({syn['agenda_items']} TOP)", syn["meeting"], session),
                    ("meeting list", syn["meeting_list"], session),
                    ("body calendar feed (.ics)", syn["feed"], []),
                ],
                seconds,
                connections,
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    if results:
        report(f"{label}: gunicorn -w 2, wrk -t2 -c{connections} -d{seconds}s", results)
    if synthetic:
        report(
            f"{label}, synthetic network (scale {synthetic_scale}): gunicorn -w 2, "
            f"wrk -t2 -c{connections} -d{seconds}s",
            synthetic,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
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
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk fehlt: apt-get install wrk")
    scale = None if args.no_synthetic else args.synthetic_scale
    options = {"synthetic_scale": scale, "only_synthetic": args.only_synthetic and bool(scale)}
    for db in args.db.split(","):
        if db == "sqlite":
            run_db("SQLite", None, args.seconds, args.connections, **options)
        elif db == "postgres":
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "uebergang_bench"],
                check=False,
            )
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", "uebergang_bench"], check=True
            )
            run_db("PostgreSQL", args.postgres_url, args.seconds, args.connections, **options)


if __name__ == "__main__":
    main()
