"""Background work for parent schools: refreshing the participation rollup, street-event reminders."""

from __future__ import annotations

from celery import shared_task


@shared_task
def refresh_participation_rollup() -> int:
    """Every few minutes (Celery beat), and soon after a course is completed or a certificate issued
    (``participation.signals``): counts the dashboards' figures afresh; returns the rollup's rows."""
    from participation.rollups import refresh

    return refresh()


@shared_task
def send_street_event_reminders() -> int:
    """Hourly in the daytime (Celery beat, beside the appointment reminders): the day-before
    reminder of each street-event sign-up, exactly once (``participation.street_events``)."""
    from participation.street_events import send_reminders

    return send_reminders()
