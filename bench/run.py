"""Benchmark: gunicorn (2 workers, DEBUG off, persistent connections) with the demo network,
on SQLite and PostgreSQL; wrk measures requests/s and p50/p99 of the trivial view, a bare
50-row page and the main signed-in pages and API lists, and prints each ratio to the trivial
view. Usage: python bench/run.py [--seconds 5] [--db sqlite,postgres] [--connections 8]

Timings are printed, never asserted."""

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


def prepare(env: dict) -> dict:
    import json

    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", PREPARE],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


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


def run_db(label: str, database_url: str | None, seconds: int, connections: int) -> None:
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
    ctx = prepare(env)
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
        for _label, path, headers in pages:  # warm up
            wrk(base + path, 1, 2, headers)
        results = [
            (lbl, *wrk(base + path, seconds, connections, headers)) for lbl, path, headers in pages
        ]
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    trivial = results[0][1]
    print(f"\n{label}: gunicorn -w 2, wrk -t2 -c{connections} -d{seconds}s")
    print(f"{'page':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7}")
    for lbl, rps, p50, p99 in results:
        print(f"{lbl:32} {rps:9.1f} {p50:8.2f} {p99:8.2f} {rps / trivial:7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/uebergang_bench"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk fehlt: apt-get install wrk")
    for db in args.db.split(","):
        if db == "sqlite":
            run_db("SQLite", None, args.seconds, args.connections)
        elif db == "postgres":
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "uebergang_bench"],
                check=False,
            )
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", "uebergang_bench"], check=True
            )
            run_db("PostgreSQL", args.postgres_url, args.seconds, args.connections)


if __name__ == "__main__":
    main()
