"""Background work for the course library."""

from __future__ import annotations

from celery import shared_task

from courses.reminders import send_due_reminders


@shared_task
def send_assignment_reminders() -> int:
    """Daily (Celery beat): reminders for assigned courses due in 3 days or overdue."""
    return send_due_reminders()
