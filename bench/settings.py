"""Settings for the benchmark server: production settings plus a reference page."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
