"""Settings for bench/http_bench.py: development settings as production would run them (DEBUG off).

The cache is Redis when REDIS_URL is set (as in production; the benchmark uses its own database
index), else in-process memory; PAGE_CACHE_SECONDS (0 by default here) turns the anonymous page
cache on for the "cached" pass.
"""

import os

from huiai.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
SMS_OUTBOX_FILE = None
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
