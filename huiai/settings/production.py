"""Production: base plus what only a real deployment needs.

PostgreSQL, Redis (cache and Celery broker), HTTPS everywhere. Missing required
environment variables stop the process at start-up instead of failing later.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from celery.schedules import crontab

from .base import *  # noqa: F403
from .base import (
    BACKUP_PASSPHRASE,
    CELERY_BEAT_SCHEDULE,
    DATABASE_URL,
    GUIDANCE_SIGNING_KEY,
    LOG_FORMAT,
    LOGGING,
    REDIS_URL,
    SCHOOLS_ENCRYPTION_KEYS,
    SECRET_KEY,
    SMS_BACKEND,
    TRUSTED_PROXY_COUNT_GIVEN,
    X_ACCEL_DOCUMENTS,
)

for name, value in {"SECRET_KEY": SECRET_KEY, "REDIS_URL": REDIS_URL}.items():
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
if not SCHOOLS_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "SCHOOLS_ENCRYPTION_KEYS must be set: students' names and reports are encrypted at rest."
    )
if not TRUSTED_PROXY_COUNT_GIVEN:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT must be set for production (1 behind the TLS proxy, 0 without one): with a "
        "proxy and no count, every visitor shares the proxy's rate limits (core/clientip.py)."
    )
if not BACKUP_PASSPHRASE:
    raise ImproperlyConfigured(
        "BACKUP_PASSPHRASE must be set: the nightly backup (core/backups.py) is encrypted with it. Keep a "
        "copy offline with SCHOOLS_ENCRYPTION_KEYS: a backup cannot be restored without both."
    )
if not GUIDANCE_SIGNING_KEY:
    raise ImproperlyConfigured(
        "GUIDANCE_SIGNING_KEY must be set: completion reports for courts are signed with it (Ed25519, 64 hex "
        "digits; `manage.py guidance_signing_key --new` prints one). See docs/guidance-reports.md."
    )
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")

if SMS_BACKEND.endswith(("ConsoleSMSBackend", "LocmemSMSBackend")):
    raise ImproperlyConfigured(
        "SMS_BACKEND must name a real SMS provider in production (e.g. accounts.sms.HTTPGatewaySMSBackend), "
        "or sign-in codes would only reach the server log."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

if X_ACCEL_DOCUMENTS:
    # Wagtail's document view checks privacy, then nginx sends the file (core/sendfile.py).
    SENDFILE_BACKEND = "core.sendfile"

# Every night, an encrypted backup of the database and the stored files into BACKUP_DIR
# (core/backups.py; `make restore` puts one back).
CELERY_BEAT_SCHEDULE["nightly-backup"] = {
    "task": "core.tasks.create_scheduled_backup",
    "schedule": crontab(hour=2, minute=30),
}

# One JSON object per log line, with the request id, for the district's log collector; set
# LOG_FORMAT=plain to read them by eye.
if LOG_FORMAT != "plain":
    LOGGING["handlers"]["console"]["formatter"] = "json"

# Error reports to Sentry (or a self-hosted, Sentry-compatible server) when SENTRY_DSN is set. The
# SDK is not a dependency: `.venv/bin/pip install sentry-sdk` on the machines that use it. No
# personal data leaves: no user, address, cookie or request body is sent (children's data).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    try:
        import sentry_sdk  # type: ignore[import-not-found]  # optional: not a dependency
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install sentry-sdk"
        ) from error
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0.0,
    )
