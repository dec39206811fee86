"""Celery: fire-and-forget tasks, bounded broker timeouts, the beat schedule.

Imported by ``huiai/settings/base.py``; nothing here reads the environment (base.py does).
"""

from celery.schedules import crontab

# Tasks are fire-and-forget: no result backend (a Redis result backend turns a refused
# connection into a ~19 s stall). Broker timeouts are bounded so that publishing never hangs
# a request when Redis is down or hung; callers fall back as accounts/tasks.py shows.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "visibility_timeout": 3600,
}
# After a failed publish, web requests skip publishing this long (core/broker.py).
CELERY_PUBLISH_RETRY_SECONDS = 10
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Beat on several machines (deploy/README.md): celery-redbeat keeps the schedule in Redis and
# lets one beat run at a time. A beat takes a Redis lock before its first tick and extends it on
# every tick (at most CELERY_BEAT_MAX_LOOP_INTERVAL apart); a second beat, started by mistake or as a
# standby, waits for the lock and sends nothing. When the running beat stops it releases the lock;
# when it dies, the lock expires after CELERY_REDBEAT_LOCK_TIMEOUT and the standby takes over.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_KEY_PREFIX = "huiai:redbeat"
CELERY_BEAT_MAX_LOOP_INTERVAL = 5
CELERY_REDBEAT_LOCK_TIMEOUT = 60
CELERY_BEAT_SCHEDULE = {
    "course-assignment-reminders": {
        "task": "courses.tasks.send_assignment_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 24 * 60 * 60,
    },
    "refresh-participation-rollup": {
        "task": "participation.tasks.refresh_participation_rollup",
        "schedule": 5 * 60,
    },
    "appointment-reminders": {
        "task": "workstations.tasks.send_appointment_reminders",
        "schedule": crontab(minute=5, hour="9-20"),  # daytime only: no text message at night
    },
    "street-event-reminders": {
        "task": "participation.tasks.send_street_event_reminders",
        "schedule": crontab(minute=10, hour="9-20"),  # as the appointment reminders
    },
    "purge-search-queries": {
        "task": "search.tasks.purge_search_queries",
        "schedule": crontab(hour=3, minute=30),
    },
    "schools-deliver-notifications": {
        "task": "schools.tasks.deliver_pending_notifications",
        "schedule": 60,
    },
    "schools-forget-sealed-receipt-codes": {
        "task": "schools.tasks.forget_sealed_receipt_codes",
        "schedule": 15 * 60,
    },
    "schools-escalate-overdue-cases": {
        "task": "schools.tasks.escalate_overdue_cases",
        "schedule": 15 * 60,
    },
    "guidance-escalate-plans": {
        "task": "guidance.tasks.escalate_plans",
        "schedule": 60 * 60,
    },
}
