"""Domain rules: deadlines, limits and retention of cases, certificates, parent schools and guidance.

Imported by ``huiai/settings/base.py``; nothing here reads the environment (base.py does).
"""

# --- Schools: bullying reports and cases (schools/) ---
# Deadlines of the case workflow (schools/services.py).
SCHOOLS_ACKNOWLEDGE_WORKING_DAYS = 1  # district acknowledges within 1 working day (official calendar: core/workdays.py)
# Determination within 10 days of the investigation's start; a last day at rest runs to the next working day.
SCHOOLS_DETERMINATION_DAYS = 10
SCHOOLS_REVIEW_REQUEST_DAYS = 30  # a party may ask for a review within 30 days of closing
SCHOOLS_INVITATION_DAYS = 7  # an officer invitation link works this many days, once
# The site setting naming the certificates' issuing organisation and seal (fields
# ``certificate_issuer`` and ``certificate_seal``). Named here, as AUTH_USER_MODEL is, because
# the courses app sits below the site shell (``home``) and may not import it.
CERTIFICATE_ISSUER_SETTING = "home.SiteContactSettings"
# Attachments: kept outside MEDIA_ROOT (SCHOOLS_ATTACHMENT_ROOT, never served as public files),
# checked by content.
SCHOOLS_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Pictures above this many pixels are refused from their header, before decoding (a 16 MP
# RGBA picture is 64 MB decoded); large baseline JPEGs are decoded at 1/2..1/8 scale to fit.
SCHOOLS_ATTACHMENT_MAX_PIXELS = 16_000_000
# The stored copy of a picture is at most this many pixels on its longest side.
SCHOOLS_ATTACHMENT_MAX_EDGE = 4096
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
# Guidance plans and court orders (guidance/; where reports are kept and the signing key: base.py).
GUIDANCE_INVITATION_DAYS = 14  # a guardian's SMS link works this many days, once
GUIDANCE_END_WARNING_DAYS = 14  # a plan this close to its end with requirements unmet alerts staff
# A PDF uploaded to the public verification page is refused above this size (reports are ~100 kB).
GUIDANCE_VERIFY_MAX_BYTES = 5 * 1024 * 1024
# Station services (StationService slugs) whose bookings count as a plan's guidance sessions.
GUIDANCE_SESSION_SERVICES = ["family-education"]

# Where documents go when nginx sends them (X_ACCEL_DOCUMENTS, core/sendfile.py): an ``internal``
# location of deploy/nginx.conf, aliased to MEDIA_ROOT.
SENDFILE_URL = "/_protected/media/"
