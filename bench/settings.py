"""Settings for the benchmark server: production settings plus a reference page.

The cache comes from the environment as in production (`CACHE_BACKEND`, `CACHE_LOCATION`):
`bench/run.py` starts the server once with the dummy cache (cold) and once with Redis
(warm). `MAX_ENTRIES` is an option of Django's local-memory, file and database caches only;
the Redis backend hands every option to its connection pool (which refuses it), and Redis
evicts by its own `maxmemory` policy, so it is left out there."""

from config.settings import *  # noqa: F403
from config.settings import CACHES

ROOT_URLCONF = "bench.urls"
DEBUG = False

if CACHES["default"]["BACKEND"].endswith(".RedisCache"):
    CACHES["default"]["OPTIONS"] = {
        k: v for k, v in CACHES["default"].get("OPTIONS", {}).items() if k != "MAX_ENTRIES"
    }
