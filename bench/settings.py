"""Settings for bench/run.py: development settings as production would run them (DEBUG off)."""

from huiai.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SMS_OUTBOX_FILE = None
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
