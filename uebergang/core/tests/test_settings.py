"""The production settings read the environment (config/settings.py): e-mail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRINT_MAILERS = (
    "import json, config.settings as s; "
    "print(json.dumps(s.MAILERS, default=str)); "
    "print(hasattr(s, 'EMAIL_BACKEND'))"
)


def settings_with(env: dict[str, str], tmp_path) -> tuple[dict, bool]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_MAILERS],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "x" * 50, "UEBERGANG_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    mailers, has_old = result.stdout.strip().splitlines()
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
