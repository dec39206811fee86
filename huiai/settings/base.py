"""Base settings: safe for production on their own.

DEBUG is off and no secret lives here. Every value that differs between machines is read
from the environment in the block just below, and nowhere else. ``dev`` and ``test`` only
relax these settings; ``production`` only adds to them.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Everything read from the environment -------------------------------------------------
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
REDIS_URL = os.environ.get("REDIS_URL", "")
# How many proxies we run in front of the app (the TLS proxy in production: 1). The client's
# address is the X-Forwarded-For entry this many places from the right (core/clientip.py);
# 0 means no proxy: REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or 0)
TRUSTED_PROXY_COUNT_GIVEN = "TRUSTED_PROXY_COUNT" in os.environ  # production requires it
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "redis://127.0.0.1:6379/0")
# Beat keeps its schedule and its one-beat lock in this Redis (celery-redbeat; huiai/settings/celery.py).
CELERY_REDBEAT_REDIS_URL = os.environ.get("BEAT_REDIS_URL", CELERY_BROKER_URL)
# How often beat proves it is alive (home.tasks.beat_heartbeat, read by /metrics).
BEAT_HEARTBEAT_SECONDS = float(os.environ.get("BEAT_HEARTBEAT_SECONDS", "60") or 60)
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where the anonymous pages' "quick exit" button leaves to: a neutral page (a weather search)
# outside this site, so that nothing on the screen shows what the visitor was doing.
SCHOOLS_QUICK_EXIT_URL = os.environ.get("SCHOOLS_QUICK_EXIT_URL", "https://www.baidu.com/s?wd=%E5%A4%A9%E6%B0%94")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "汇爱 Huiai <no-reply@huiai.invalid>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Dotted path of the SMS sender (see accounts/sms.py); production names a provider class.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "accounts.sms.ConsoleSMSBackend")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "汇爱")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
WEIXIN_APP_ID = os.environ.get("WEIXIN_APP_ID", "")
WEIXIN_APP_SECRET = os.environ.get("WEIXIN_APP_SECRET", "")
# The WeChat Official Account (公众号) whose in-app authorization signs in inside WeChat.
WEIXIN_MP_APP_ID = os.environ.get("WEIXIN_MP_APP_ID", "")
WEIXIN_MP_APP_SECRET = os.environ.get("WEIXIN_MP_APP_SECRET", "")
# Workstation map tiles come from outside, so they are off unless a URL template
# ("https://…/{z}/{x}/{y}.png") is set; without it the map is drawn on a plain background.
WORKSTATION_MAP_TILE_URL = os.environ.get("WORKSTATION_MAP_TILE_URL", "")
WORKSTATION_MAP_TILE_ATTRIBUTION = os.environ.get("WORKSTATION_MAP_TILE_ATTRIBUTION", "")
# Sessions of everyone who works in the admin or sees case data end after this long without a
# request, and this long after signing in (accounts.middleware.StaffSessionExpiryMiddleware).
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", str(30 * 60)))
STAFF_SESSION_MAX_AGE_SECONDS = int(os.environ.get("STAFF_SESSION_MAX_AGE_SECONDS", str(12 * 60 * 60)))
# Days a stored site search (search tuning statistics) is kept; see search/retention.py.
SEARCH_QUERY_RETENTION_DAYS = int(os.environ.get("SEARCH_QUERY_RETENTION_DAYS", "30"))
# Monitoring sends this as "Authorization: Bearer <token>" to see /healthz check details;
# without it (or a signed-in operator) /healthz answers only up or down.
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")
# The bearer token Prometheus sends to /metrics (home/metrics.py); unset, /metrics answers 404.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# Where uploaded files live: Wagtail's images, documents and lesson media (MEDIA_ROOT), case
# attachments (encrypted, never served as files) and certificate PDFs; each may be its own volume.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
SCHOOLS_ATTACHMENT_ROOT = Path(os.environ.get("SCHOOLS_ATTACHMENT_ROOT", BASE_DIR / "var" / "schools-attachments"))
CERTIFICATE_ROOT = Path(os.environ.get("CERTIFICATE_ROOT", BASE_DIR / "var" / "certificates"))
# Backups (core/backups.py, `make backup`): encrypted with this passphrase (production refuses to
# start without one), written to BACKUP_DIR (best a mounted disk of another machine), the newest
# BACKUP_KEEP kept.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
BACKUP_PASSPHRASE = os.environ.get("BACKUP_PASSPHRASE", "")
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
# Object storage (S3-compatible: MinIO, Ceph, a cloud's OSS/COS) for Wagtail's images, documents
# and lesson media instead of MEDIA_ROOT: on when a bucket is named. Objects stay private; the
# app checks who may see a document or a private video before answering, and hands out signed
# addresses that expire (S3_URL_SECONDS). Case attachments and certificates stay on local disk.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")
S3_REGION = os.environ.get("S3_REGION", "")
S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "")
S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY", "")
S3_URL_SECONDS = int(os.environ.get("S3_URL_SECONDS", "3600"))
# "plain" lines for people, or "json" (one object per line) for a log collector; both carry the
# request id. Production defaults to json.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "")
# Behind nginx (deploy/nginx.conf): documents are sent by nginx after the app's checks
# (X-Accel-Redirect, core/sendfile.py). Production only; never without the proxy in front.
X_ACCEL_DOCUMENTS = env_bool("HUIAI_X_ACCEL_DOCUMENTS", False)
# ------------------------------------------------------------------------------------------

INSTALLED_APPS = [
    "core",
    "accounts",
    "home",
    "library",
    "courses",
    "schools",
    "alliance",
    "workstations",
    "participation",
    "guidance",
    "search",
    "taxonomy",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtailmedia",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.weixin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # Times the whole request for /metrics (core/metrics.py).
    "core.metrics.RequestMetricsMiddleware",
    # First: every response and every log line of the request carries its id (core/request_id.py).
    "core.request_id.RequestIdMiddleware",
    "core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response, cached ones included
    # (core/headers.py).
    "core.headers.SitePolicyCSPMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    # No NUL byte reaches a view through the path or the query string (core/params.py).
    "core.params.NulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A response to a session holder, or that sets a cookie, is marked private: no shared cache
    # or service worker keeps it (core/headers.py).
    "core.headers.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SiteLanguageMiddleware",
    # Anonymous page views from the cache once the language is known, before anything else
    # runs; misses are stored on the way out (core/page_cache.py).
    "core.page_cache.AnonymousPageCacheMiddleware",
    # The request's Wagtail site from memory, before anything asks for it (core/site_cache.py).
    "core.site_cache.SiteCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.actor.CurrentActorMiddleware",  # who acts, for audit rows written by signal receivers
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSessionExpiryMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    # Signing out makes the browser drop the account's saved lessons (accounts/saved_lessons.py).
    "accounts.saved_lessons.ClearSavedLessonsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "huiai.urls"
WSGI_APPLICATION = "huiai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "accounts.context_processors.roles",
                "accounts.context_processors.display",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down degrades (pages uncached, limits per process), never a 500 (core/cache.py).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "huiai",
            # A hung cache must not hang a request: fail fast, then skip it for retry_seconds.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2, "retry_seconds": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous visitors' Wagtail pages are served from the default cache for at most this many
# seconds, and dropped from it on any publish (core/page_cache.py); 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Site-wide data every page reads (site, contact settings, menu, topic lists) is kept in each
# worker for at most this many seconds, and dropped as soon as content changes
# (core/site_cache.py); 0 reads it from the database on every request.
SITE_CACHE_SECONDS = int(os.environ.get("SITE_CACHE_SECONDS", "300"))

# Sessions live in the database, never in the cache: a Redis outage must not sign anyone out
# (Django's default, stated so nobody switches it to the cache backend without reading this).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# --- Internationalisation: Chinese first, English second ----------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "huiai_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media files (served by the project itself, never a CDN) -------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": S3_REGION or None,
            "access_key": S3_ACCESS_KEY_ID or None,
            "secret_key": S3_SECRET_ACCESS_KEY or None,
            "location": "media",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": S3_URL_SECONDS,
            "file_overwrite": False,
        },
    }
    # Documents: Wagtail's view checks collection privacy, then redirects to a signed address
    # that expires; the object store answers Range requests itself.
    WAGTAILDOCS_SERVE_METHOD = "redirect"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request bodies are capped by the app itself, not only by a proxy (core/middleware.py): a
# body declared larger than this is answered 413 before anything reads it. Teachers upload
# lesson video in the Wagtail admin (wagtailmedia), so those paths get the larger limit.
REQUEST_BODY_MAX_BYTES = 25 * 1024 * 1024
REQUEST_BODY_MAX_BYTES_MEDIA = 512 * 1024 * 1024
REQUEST_BODY_MEDIA_PATHS = ["/admin/media/"]
# Form fields are held in memory up to this size; uploaded files above FILE_UPLOAD_MAX_MEMORY_SIZE
# go to a temporary file instead of memory (Django's defaults, stated here on purpose).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Security defaults that hold everywhere: huiai/settings/security.py ------------------
from .security import *  # noqa: E402, F403

if S3_BUCKET and S3_ENDPOINT_URL:
    # Images and lesson media load from the object store's signed addresses: allow its origin.
    from urllib.parse import urlsplit as _urlsplit

    _store = _urlsplit(S3_ENDPOINT_URL)
    for _policy in (CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_ADMIN):  # noqa: F405
        _policy["DIRECTIVES"]["img-src"] = [*_policy["DIRECTIVES"]["img-src"], f"{_store.scheme}://{_store.netloc}"]
        _policy["DIRECTIVES"]["media-src"] = ["'self'", f"{_store.scheme}://{_store.netloc}"]

# --- Wagtail -------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "汇爱 Huiai"
# No Gravatar: admin avatars never load from an outside origin (and never leak e-mail hashes).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No call from the admin to releases.wagtail.org: nothing in the admin loads from outside.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# An approved review publishes the page even when the last reviewer may not publish alone (home/moderation.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "home.moderation.publish_approved"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
# Wagtail's database backend, with relevance ordering that scales on SQLite (search/backend.py);
# Elasticsearch/OpenSearch can replace it here without other changes.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}
# Handouts, plus the video and audio files lessons play (core.blocks.MediaBlock).
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "m4a", "mp3", "mp4", "webm"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Every document is checked by content on upload (core/wagtail_forms.py): a PDF must parse and
# carry no scripts or actions (teachers' handouts reach parents), other files must match their
# extension.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.wagtail_forms.SafeDocumentForm"
# Wagtail decodes the original picture to make every rendition: bound what that may allocate.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Video and audio items (wagtailmedia), the preferred source of a lesson's player: formats that
# play in the browsers parents use (WeChat's included) without a plug-in. Files are served with
# byte ranges and collection privacy by ``core.media.serve_media``.
WAGTAILMEDIA = {
    "MEDIA_MODEL": "wagtailmedia.Media",
    "AUDIO_EXTENSIONS": ["m4a", "mp3"],
    "VIDEO_EXTENSIONS": ["mp4", "webm"],
    # Files checked by content on upload (core/wagtail_forms.py).
    "MEDIA_FORM_BASE": "core.wagtail_forms.SafeMediaForm",
}
WAGTAIL_PASSWORD_RESET_ENABLED = False  # password reset goes through allauth
# Password changes too (allauth's, rate limited and notified): Wagtail's account page drops its panel.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# Private pages and documents send visitors to the site's own sign-in, not Wagtail's bare form.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# --- django-allauth and MFA: huiai/settings/accounts.py -----------------------------------
from .accounts import *  # noqa: E402, F403

# allauth's own limits count the same client as ours (its adapter asks core/clientip.py).
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SOCIALACCOUNT_PROVIDERS = {}
if WEIXIN_APP_ID and WEIXIN_APP_SECRET:
    SOCIALACCOUNT_PROVIDERS["weixin"] = {
        "APP": {"client_id": WEIXIN_APP_ID, "secret": WEIXIN_APP_SECRET},
        "SCOPE": ["snsapi_login"],
    }
    if WEIXIN_MP_APP_ID and WEIXIN_MP_APP_SECRET:
        # Inside WeChat's browser there is no QR code to scan: the Official Account's in-app
        # authorization is used instead (accounts/weixin.py).
        SOCIALACCOUNT_PROVIDERS["weixin"]["IN_APP"] = {
            "APP": {"client_id": WEIXIN_MP_APP_ID, "secret": WEIXIN_MP_APP_SECRET},
            "SCOPE": ["snsapi_userinfo"],
        }

# --- Celery: huiai/settings/celery.py ----------------------------------------------------
from .celery import *  # noqa: E402, F403

CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE["beat-heartbeat"] = {"task": "home.tasks.beat_heartbeat", "schedule": BEAT_HEARTBEAT_SECONDS}

# --- Logging -------------------------------------------------------------------------------
# Every line carries the request's id ("-" outside a request; core/request_id.py). LOG_FORMAT=json
# writes one JSON object per line (production's default) for a log collector; "plain" for people.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "request_id", "message"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
    },
}

# --- Schools: bullying reports and cases (schools/) ----------------------------------------
# Fernet keys that encrypt students' names and report narratives at rest: comma-separated,
# newest first. The first key encrypts; every key decrypts, so a key is rotated by putting a
# new one in front and running `manage.py rotate_schools_keys`. Empty here: dev and
# test set a fixed dev key, production refuses to start without one.
SCHOOLS_ENCRYPTION_KEYS = env_list("SCHOOLS_ENCRYPTION_KEYS")
# Deadlines of the case workflow (schools/services.py).
SCHOOLS_ACKNOWLEDGE_WORKING_DAYS = 1  # district acknowledges within 1 working day (official calendar: core/workdays.py)
# Determination within 10 days of the investigation's start; a last day at rest runs to the next working day.
SCHOOLS_DETERMINATION_DAYS = 10
SCHOOLS_REVIEW_REQUEST_DAYS = 30  # a party may ask for a review within 30 days of closing
SCHOOLS_INVITATION_DAYS = 7  # an officer invitation link works this many days, once
# Attachments: kept outside MEDIA_ROOT (SCHOOLS_ATTACHMENT_ROOT, never served as public files),
# checked by content.
# Certificates of completion (courses/certificates.py): stored PDFs in CERTIFICATE_ROOT, and the
# Chinese font embedded in them: the WenQuanYi Micro Hei shipped in core/fonts/ unless this names
# another .ttf/.ttc that exists (e.g. /usr/share/fonts/truetype/wqy/wqy-microhei.ttc; a .ttc uses
# its first face).
CERTIFICATE_FONT_PATH = os.environ.get("CERTIFICATE_FONT_PATH", "")
# The site setting naming the certificates' issuing organisation and seal (fields
# ``certificate_issuer`` and ``certificate_seal``). Named here, as AUTH_USER_MODEL is, because
# the courses app sits below the site shell (``home``) and may not import it.
CERTIFICATE_ISSUER_SETTING = "home.SiteContactSettings"
SCHOOLS_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Pictures above this many pixels are refused from their header, before decoding (a 16 MP
# RGBA picture is 64 MB decoded); large baseline JPEGs are decoded at 1/2..1/8 scale to fit.
SCHOOLS_ATTACHMENT_MAX_PIXELS = 16_000_000
# The stored copy of a picture is at most this many pixels on its longest side.
SCHOOLS_ATTACHMENT_MAX_EDGE = 4096
CELERY_BEAT_SCHEDULE["schools-deliver-notifications"] = {
    "task": "schools.tasks.deliver_pending_notifications",
    "schedule": 60,
}
CELERY_BEAT_SCHEDULE["schools-forget-sealed-receipt-codes"] = {
    "task": "schools.tasks.forget_sealed_receipt_codes",
    "schedule": 15 * 60,
}
CELERY_BEAT_SCHEDULE["schools-escalate-overdue-cases"] = {
    "task": "schools.tasks.escalate_overdue_cases",
    "schedule": 15 * 60,
}
# Notification outbox (schools/tasks.py): a failed message is retried after a delay that doubles
# from the minimum up to the maximum, for as long as it takes; one still unsent after the late
# threshold is shown to district staff. The lease bounds how long a hung worker holds a row.
SCHOOLS_NOTIFICATION_RETRY_MIN_SECONDS = 60
SCHOOLS_NOTIFICATION_RETRY_MAX_SECONDS = 60 * 60
SCHOOLS_NOTIFICATION_LATE_MINUTES = 30
SCHOOLS_NOTIFICATION_LEASE_SECONDS = 5 * 60
# Anonymous reports: counts kept only in the cache (a salted hash, never the IP itself). A valid
# report is never refused (schools/public_views.py has the why).
SCHOOLS_ANONYMOUS_REPORTS_PER_HOUR = 5  # per client, then stored and announced together
SCHOOLS_ANONYMOUS_REPORTS_SITE_PER_HOUR = 60  # from everyone, then the same
SCHOOLS_ANONYMOUS_INVALID_PER_HOUR = 30  # invalid submissions per client, then answered 429
SCHOOLS_RECEIPT_LOOKUPS_PER_HOUR = 20  # wrong codes per client, then that client is refused
SCHOOLS_REPORTER_MESSAGES_PER_HOUR = 20  # per report, then stored and announced together
# Wrong enrolment codes a parent (and a client address) may try per hour (courses/services/enrolment.py).
COURSES_ENROLMENT_CODE_FAILURES_PER_HOUR = 10
# Class codes of parent schools (participation/services.py): how long a code lives, and how many
# wrong codes a parent (and a client address) may type per hour.
PARTICIPATION_CLASS_CODE_DAYS = 30
PARTICIPATION_CODE_FAILURES_PER_HOUR = 10
# Guidance plans and court orders (guidance/, issue 14). Completion reports are stored in
# GUIDANCE_REPORT_ROOT (outside MEDIA_ROOT, served by a checked view) and signed with the Ed25519
# key GUIDANCE_SIGNING_KEY (64 hex digits: the private key's 32 raw bytes). Dev and test set a
# fixed key; production refuses to start without one (docs/guidance-reports.md: keep it offline).
GUIDANCE_REPORT_ROOT = Path(os.environ.get("GUIDANCE_REPORT_ROOT", BASE_DIR / "var" / "guidance-reports"))
GUIDANCE_SIGNING_KEY = os.environ.get("GUIDANCE_SIGNING_KEY", "")
GUIDANCE_INVITATION_DAYS = 14  # a guardian's SMS link works this many days, once
GUIDANCE_END_WARNING_DAYS = 14  # a plan this close to its end with requirements unmet alerts staff
# A PDF uploaded to the public verification page is refused above this size (reports are ~100 kB).
GUIDANCE_VERIFY_MAX_BYTES = 5 * 1024 * 1024
# Station services (StationService slugs) whose bookings count as a plan's guidance sessions.
GUIDANCE_SESSION_SERVICES = ["family-education"]
CELERY_BEAT_SCHEDULE["guidance-escalate-plans"] = {
    "task": "guidance.tasks.escalate_plans",
    "schedule": 60 * 60,
}

# Where documents go when nginx sends them (X_ACCEL_DOCUMENTS, core/sendfile.py): an ``internal``
# location of deploy/nginx.conf, aliased to MEDIA_ROOT.
SENDFILE_URL = "/_protected/media/"

# --- Backups: the folders `make backup` puts in an archive, by their name there, and the setting
# that says where each one is (core/backups.py) --------------------------------------------------
BACKUP_FOLDERS = {
    "media": "MEDIA_ROOT",
    "schools-attachments": "SCHOOLS_ATTACHMENT_ROOT",
    "certificates": "CERTIFICATE_ROOT",
    "guidance-reports": "GUIDANCE_REPORT_ROOT",
}
