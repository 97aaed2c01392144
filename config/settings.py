"""Settings for uebergang. Every value that differs between installations comes from the
environment; `config.settings_test` overrides what the test suite needs."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("UEBERGANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment; for a local installation one is kept in var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_filters",
    "django_tasks_db",
    "axes",
    "uebergang.core",
    "uebergang.accounts",
    "uebergang.networks",
    "uebergang.bodies",
    "uebergang.meetings",
    "uebergang.topics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "uebergang.core.middleware.ApiErrorMiddleware",
    "uebergang.core.middleware.PageCacheStateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "uebergang.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "uebergang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "uebergang.core.context_processors.nav",
            ],
            # {% load i18n %}: Django's tags, a constant {% translate %} translated once per
            # language (uebergang/core/templatetags/i18n_cached.py).
            "libraries": {"i18n": "uebergang.core.templatetags.i18n_cached"},
            # {% url %}: Django's, the pattern of each name reversed once (core.reversing).
            "builtins": ["uebergang.core.templatetags.fast_url"],
        },
    }
]
# Replacing Django's `i18n` library on purpose is what this warning reports ("'i18n' is used for
# multiple template tag modules"); core/tests/test_i18n_cached.py checks that it is the only
# library name used twice.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]
if not DEBUG:
    # Compiled templates are cached in production (lean, fast pages).
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'uebergang.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        # Off by default: a health check costs a round trip on every request.
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )
    # A prepared statement is planned once (a generic plan), not again on each run: with
    # PostgreSQL's default ("auto") it kept choosing custom plans for the work queue's
    # queries, planning them anew on every request (README, benchmarks).
    # DB_PLAN_CACHE_MODE="" leaves it to the server (a pooler that refuses start-up options).
    if plan_cache_mode := os.environ.get("DB_PLAN_CACHE_MODE", "force_generic_plan"):
        if plan_cache_mode not in ("auto", "force_generic_plan", "force_custom_plan"):
            raise ImproperlyConfigured(
                "DB_PLAN_CACHE_MODE: auto, force_generic_plan, force_custom_plan or empty, "
                f"not {plan_cache_mode!r}"
            )
        DATABASES["default"]["OPTIONS"]["options"] = f"-c plan_cache_mode={plan_cache_mode}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the user read as a prepared query on every request. (A
    # session signed in through Django's own ModelBackend path, before this was set, is
    # signed out once.)
    "uebergang.accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock an account/IP pair after repeated failed sign-ins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "8"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "uebergang" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "uebergang" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"  # outside the web root; files are served through views
# Meeting documents: PDF and Office files up to this size (MB).
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_MB", "20")) * 1024 * 1024
# The network's logo for its letterhead (PNG or JPEG): up to this size (KB).
LOGO_MAX_BYTES = int(os.environ.get("LOGO_MAX_KB", "1024")) * 1024

# Per-process memory cache: rendered page content keyed by the network's data version.
# Several workers or hosts share one cache: Redis in production
# (CACHE_BACKEND=django.core.cache.backends.redis.RedisCache, CACHE_LOCATION=redis://host:6379/0),
# which evicts by its own maxmemory policy; the local default keeps at most 5,000 entries.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "uebergang"),
    }
}
if not CACHES["default"]["BACKEND"].endswith(".RedisCache"):
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 5000}

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

# E-mail over SMTP when EMAIL_HOST is set; otherwise written to var/mail for a local run.
# (Django 6.1's MAILERS; the environment keeps the familiar EMAIL_* names.)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "uebergang <noreply@localhost>")
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                # A server that stops answering must not hold a task worker forever.
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": VAR_DIR / "mail"},
        }
    }

# Security headers. The CSP allows only the app's own scripts and styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions are read from the cache and written through to the database: one query less per
# signed-in request, nothing lost when the cache is cleared.
# Django's cached_db sessions, the database read as a prepared query (accounts.sessions).
SESSION_ENGINE = "uebergang.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and "127.0.0.1" not in ALLOWED_HOSTS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

FORM_RENDERER = "uebergang.core.forms.KernFormRenderer"

# Meetings: e-mail delivery of invitations and minutes through the task queue (see
# uebergang/meetings/delivery.py). SITE_URL builds absolute links in e-mails and calendar files.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
INVITATION_MAX_ATTEMPTS = int(os.environ.get("INVITATION_MAX_ATTEMPTS", "5"))
# Seconds before the n-th retry (the last value repeats): 1 min, 5 min, 30 min, 2 h.
INVITATION_RETRY_DELAYS = (60, 300, 1800, 7200)
