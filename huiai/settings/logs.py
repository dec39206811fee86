"""Logging: every line carries the request's id, for people ("plain") or a log collector ("json").

Imported by ``huiai/settings/base.py``, which reads LOG_FORMAT from the environment.
"""

from typing import Any


def logging_config(log_format: str) -> dict[str, Any]:
    """Django's LOGGING for ``log_format``: "json" writes one JSON object per line (production's
    default) for a log collector; anything else plain lines for people. Every line carries the
    request's id ("-" outside a request; core/request_id.py)."""
    return {
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
                "formatter": "json" if log_format == "json" else "plain",
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
