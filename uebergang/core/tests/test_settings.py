"""The production settings read the environment (config/settings.py): e-mail, the
PostgreSQL connection options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
PRINT_MAILERS = (
    "import json, config.settings as s; "
    "print(json.dumps(s.MAILERS, default=str)); "
    "print(hasattr(s, 'EMAIL_BACKEND'))"
)


def run_settings(code: str, env: dict[str, str], tmp_path, drop) -> str:
    """What `code` prints after importing the settings in a fresh interpreter, with `env`
    over this environment less the variables `drop(name)` is true for."""
    clean = {k: v for k, v in os.environ.items() if not drop(k)}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "x" * 50, "UEBERGANG_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def settings_with(env: dict[str, str], tmp_path) -> tuple[dict, bool]:
    out = run_settings(PRINT_MAILERS, env, tmp_path, lambda k: k.startswith("EMAIL_"))
    mailers, has_old = out.strip().splitlines()
    return json.loads(mailers), has_old == "True"


def test_smtp_from_the_environment_through_mailers(tmp_path):
    mailers, has_old = settings_with(
        {
            "EMAIL_HOST": "mail.example.org",
            "EMAIL_PORT": "587",
            "EMAIL_HOST_USER": "netz",
            "EMAIL_HOST_PASSWORD": "geheim",
            "EMAIL_USE_TLS": "1",
            "EMAIL_TIMEOUT": "12",
        },
        tmp_path,
    )
    assert mailers == {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "mail.example.org",
                "port": 587,
                "username": "netz",
                "password": "geheim",
                "use_tls": True,
                "use_ssl": False,
                "timeout": 12,
            },
        }
    }
    assert has_old is False  # no deprecated EMAIL_* setting beside MAILERS


def test_without_a_mail_server_mail_goes_to_files_under_var(tmp_path):
    mailers, has_old = settings_with({}, tmp_path)
    assert mailers == {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    assert has_old is False


PRINT_DATABASE = (
    "import json, config.settings as s; print(json.dumps(s.DATABASES['default'].get('OPTIONS')))"
)


def database_options(env: dict[str, str], tmp_path) -> dict | None:
    drop = {"DATABASE_URL", "DB_PREPARED_STATEMENTS", "DB_PLAN_CACHE_MODE"}.__contains__
    return json.loads(run_settings(PRINT_DATABASE, env, tmp_path, drop))


def test_postgresql_prepares_repeated_queries_unless_switched_off(tmp_path):
    url = {"DATABASE_URL": "postgres://u@db.example.org:5432/uebergang"}
    assert database_options(url, tmp_path) == {
        "server_side_binding": True,
        "prepare_threshold": 2,
        "options": "-c plan_cache_mode=force_generic_plan",
    }
    assert database_options({**url, "DB_PREPARED_STATEMENTS": "0"}, tmp_path) is None
    assert "server_side_binding" not in database_options({}, tmp_path)  # SQLite


def test_the_plan_cache_mode_can_be_chosen_or_left_to_the_server(tmp_path):
    url = {"DATABASE_URL": "postgres://u@db.example.org:5432/uebergang"}
    auto = database_options({**url, "DB_PLAN_CACHE_MODE": "auto"}, tmp_path)
    assert auto["options"] == "-c plan_cache_mode=auto"
    server = database_options({**url, "DB_PLAN_CACHE_MODE": ""}, tmp_path)
    assert server == {"server_side_binding": True, "prepare_threshold": 2}
    with pytest.raises(subprocess.CalledProcessError) as refused:
        database_options({**url, "DB_PLAN_CACHE_MODE": "generic -c work_mem=1GB"}, tmp_path)
    assert "DB_PLAN_CACHE_MODE: auto, force_generic_plan" in refused.value.stderr


@pytest.mark.django_db
def test_on_postgresql_a_repeated_query_is_prepared_on_the_server():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (the suite's PostgreSQL pass runs it)")
    from uebergang.core.models import Network

    for _ in range(3):
        list(Network.objects.filter(slug="nirgendwo"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('FROM "core_network"' in s and "$1" in s for s in statements), statements


@pytest.mark.django_db
def test_on_postgresql_prepared_statements_keep_one_generic_plan():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (the suite's PostgreSQL pass runs it)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
