"""Process-side helpers shared by the benchmark scripts (`run.py`, `writes.py`): the
environment of a bench process, `manage.py` and `manage.py shell -c` in a subprocess, and
a fresh PostgreSQL database. Nothing here imports Django."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
POSTGRES = ["-h", "127.0.0.1", "-U", "postgres"]

DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
LOCMEM_CACHE = "django.core.cache.backends.locmem.LocMemCache"


def bench_env(var_dir: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of every bench process: `bench.settings`, DEBUG off, persistent
    connections, its own var/ folder; SQLite there unless `database_url` names another
    database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "UEBERGANG_VAR_DIR": str(var_dir),
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "600",
        "DJANGO_DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("DATABASE_URL", "CACHE_BACKEND", "CACHE_LOCATION"):
        env.pop(name, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def shell(env: dict, code: str) -> dict:
    """Run `code` with `manage.py shell -c`; its last line of output is JSON."""
    done = subprocess.run(
        [PY, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py shell failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def shell_command(code: str) -> list[str]:
    """The command line of `manage.py shell -c code` (for a long-running subprocess)."""
    return [PY, "manage.py", "shell", "-c", code]


def analyze(env: dict) -> None:
    """`bench.pages.analyze` in a bench process: statistics for the data just loaded."""
    shell(env, "import json; from bench.pages import analyze; print(json.dumps(analyze()))")


def recreate_postgres_database(name: str) -> None:
    subprocess.run(
        ["dropdb", *POSTGRES, "--if-exists", name], check=False, stderr=subprocess.DEVNULL
    )
    subprocess.run(["createdb", *POSTGRES, name], check=True)
