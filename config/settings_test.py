"""Test overrides: fast hashing, in-memory mail, tasks run at once."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")

from config.settings import *  # noqa: E402,F403
from config.settings import DATABASES, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True
# Page caching is tested on its own (uebergang/core/tests/test_page_cache.py); elsewhere the
# suite sees every render, so query counts are exact.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "TEST_DB_NAME", "test_uebergang"
    )
# Tests render templates without collectstatic: plain static storage (no manifest).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise looks for it  # noqa: F405
# Documents written by tests (the demo's among them) go to a folder of this run, not var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="uebergang-test-media-"))
PREPARED_QUERIES_VERIFY = True  # every prepared query is checked against the ORM (core.prepared)
