"""Background work of guidance-station appointments."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_appointment_reminders() -> int:
    """Hourly (Celery beat): the day-before reminder of each booking, exactly once.

    Hourly rather than daily so a booking made late in the day before, or a beat that was down
    at the usual hour, is still reminded; the outbox's dedupe key keeps every run after the
    first from adding anything.
    """
    from .appointments import send_reminders

    return send_reminders()
