"""Tests: dev's conveniences plus fast hashing and in-memory mail and SMS.

DATABASE_URL (PostgreSQL in CI) and REDIS_URL are honoured when set, so the same suite
runs on the embedded default and on the real services.
"""

import os

from .dev import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "accounts.sms.LocmemSMSBackend"
SMS_OUTBOX_FILE = None
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off by default, so that tests see what they just created; tests/infra/test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") == "1"
ACCOUNT_RATE_LIMITS = False
WAGTAILADMIN_BASE_URL = "http://testserver"
# Codes of the previous and the next 30 s window are accepted too (allauth's default is 0), so the
# browser journeys sign in at once instead of sleeping for a fresh window; a code is still refused
# the second time (allauth marks each used code for the whole tolerance window).
MFA_TOTP_TOLERANCE = 1
# Never collected to: with STATIC_ROOT at the project's staticfiles/ (made by `make prod`, and by
# the production-stack tests), WhiteNoise scanned its ~800 files each time a test client was made
# (26 ms), and a scan could meet a file that a running collectstatic had just replaced. Tests are
# served static files through the finders (pytest-django's live server).
STATIC_ROOT = BASE_DIR / "var" / "tests-never-collected"  # noqa: F405
