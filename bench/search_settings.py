"""Settings for bench/search_bench.py: development settings as production runs them (DEBUG off).

The database comes from ``DATABASE_URL``, set by the script (a temporary SQLite file or the
``huiai_bench_search`` PostgreSQL database). Indexing on save is off while the script generates
pages; it builds the whole index once with ``update_index``, and that is what it times.
"""

from huiai.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SMS_OUTBOX_FILE = None
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend", "AUTO_UPDATE": False}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
