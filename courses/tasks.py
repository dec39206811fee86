"""Background work for the course library."""

from __future__ import annotations

from celery import shared_task

from courses.reminders import send_due_reminders


@shared_task
def send_assignment_reminders() -> int:
    """Daily (Celery beat): reminders for assigned courses due in 3 days or overdue."""
    return send_due_reminders()


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def build_certificate(self, enrolment_id: int) -> str | None:
    """Builds the PDF certificate of a completed enrolment (idempotent); returns its code."""
    from courses.certificates import issue_certificate, parent_name
    from courses.models import Enrolment

    enrolment = Enrolment.objects.filter(pk=enrolment_id, completed_at__isnull=False).select_related("parent").first()
    if enrolment is None or not parent_name(enrolment.parent):
        return None  # no real name yet: queued again when the parent gives it
    return issue_certificate(enrolment).code
