"""The WSGI entry point freezes the loaded application's objects for the garbage collector
(config/wsgi.py), so that its full collections do not scan them on every run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import gc
from config.wsgi import application
from django.urls import get_resolver
assert callable(application)
assert get_resolver()._populated, "the URL configuration is loaded before the freeze"
print(gc.get_freeze_count())
"""


def test_wsgi_freezes_the_loaded_application(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "UEBERGANG_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip().splitlines()[-1]) > 10_000
