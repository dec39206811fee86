"""Development: the embedded default that `make run` serves.

SQLite, Celery tasks run eagerly in the web process, mail and SMS go to the console.
"""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
# Dev keeps every SMS in a file so the code can be read back (see `manage.py sms_outbox`).
SMS_OUTBOX_FILE: Path | None = BASE_DIR / "var" / "sms-outbox.jsonl"  # None (tests): not written
# Schools: a fixed, public dev/test key for encrypted report fields (never used in production,
# which refuses to start without SCHOOLS_ENCRYPTION_KEYS).
SCHOOLS_ENCRYPTION_KEYS = env_list("SCHOOLS_ENCRYPTION_KEYS") or ["aHVpYWktZGV2LW9ubHkta2V5LW5vdC1hLXNlY3JldCE="]  # noqa: F405
# A fixed Ed25519 key for guidance completion reports in dev and tests (production refuses to
# start without GUIDANCE_SIGNING_KEY): never use it for a real report.
GUIDANCE_SIGNING_KEY = os.environ.get("GUIDANCE_SIGNING_KEY", "") or (
    "a3b434bf4a07b9a1816abec9b6b543311f70e68cacb4720928155605ed95a497"
)
