"""Reminders for assigned courses: 3 days before the deadline, and once overdue.

Rules:
* Only assignments whose course is not completed get reminders.
* "Due soon" (the deadline is within ``DUE_SOON_DAYS``) is optional: a parent may turn it off
  on "my courses". "Overdue" is not optional: an assignment can come from a court or a
  bullying case, and the family must know they missed it.
* Each kind is sent at most once per assignment: a ``Reminder`` row, unique per
  (assignment, kind), is written in the same transaction that queues the message, so running
  the daily task twice (or two workers at once) sends nothing twice.
* A parent with an e-mail address gets an e-mail, otherwise a text message to their phone;
  the message links straight to the next lesson.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import Assignment, LessonPage, LessonProgress, Reminder, ReminderPreference

DUE_SOON_DAYS = 3


def optional_reminders_on(parent) -> bool:
    preference = ReminderPreference.objects.filter(parent=parent).first()
    return preference is None or preference.optional_reminders


def set_optional_reminders(parent, enabled: bool) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(
        parent=parent, defaults={"optional_reminders": enabled}
    )
    return preference


def due_assignments(kind: str, today: datetime.date):
    """Unfinished, still-enrolled assignments that need ``kind`` and have not had it yet."""
    already = Reminder.objects.filter(assignment=OuterRef("pk"), kind=kind)
    assignments = (
        Assignment.objects.filter(enrolment__completed_at__isnull=True, enrolment__status="active")
        .exclude(Exists(already))
        .select_related("parent", "course", "enrolment")
    )
    if kind == Reminder.Kind.OVERDUE:
        return assignments.filter(deadline__lt=today)
    opted_out = ReminderPreference.objects.filter(parent=OuterRef("parent"), optional_reminders=False)
    return assignments.filter(
        deadline__gte=today, deadline__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
    ).exclude(Exists(opted_out))


def next_lesson_url(assignment: Assignment) -> str:
    course = assignment.course
    lessons = LessonPage.objects.live().child_of(course).order_by("path")
    done = LessonProgress.objects.filter(parent=assignment.parent, completed_at__isnull=False).values("lesson_id")
    lesson = lessons.exclude(pk__in=done).first() or lessons.first()
    path = (lesson or course).get_url() or ""
    return path if path.startswith("http") else settings.SITE_URL + path


def message_for(assignment: Assignment, kind: str) -> tuple[str, str]:
    with translation.override("zh-hans"):
        context = {
            "course": assignment.course.title,
            "deadline": assignment.deadline.isoformat(),
            "url": next_lesson_url(assignment),
        }
        if kind == Reminder.Kind.OVERDUE:
            subject = _("Overdue: %(course)s") % context
            body = (
                _(
                    "The course “%(course)s” assigned to you was due on %(deadline)s. "
                    "Please finish it as soon as you can: %(url)s"
                )
                % context
            )
        else:
            subject = _("Due on %(deadline)s: %(course)s") % context
            body = _("Please finish the course “%(course)s” by %(deadline)s. Continue here: %(url)s") % context
    return subject, body


def send_reminder(assignment: Assignment, kind: str) -> Reminder | None:
    """Records and queues one reminder; returns None when it was already sent or cannot be."""
    from accounts.tasks import enqueue, send_email_task, send_sms_task

    parent = assignment.parent
    channel = Reminder.Channel.EMAIL if parent.email else Reminder.Channel.SMS if parent.phone else None
    if channel is None:
        return None
    subject, body = message_for(assignment, kind)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(assignment=assignment, kind=kind, channel=channel)
    except IntegrityError:
        return None  # another run sent it
    if channel == Reminder.Channel.EMAIL:
        transaction.on_commit(lambda: enqueue(send_email_task, subject, body, [parent.email]))
    else:
        transaction.on_commit(lambda: enqueue(send_sms_task, parent.phone, body))
    return reminder


def send_due_reminders(today: datetime.date | None = None) -> int:
    """The daily run: every due-soon and overdue reminder not sent yet. Safe to rerun."""
    today = today or timezone.localdate()
    sent = 0
    for kind in (Reminder.Kind.OVERDUE, Reminder.Kind.DUE_SOON):
        for assignment in due_assignments(kind, today):
            if send_reminder(assignment, kind) is not None:
                sent += 1
    return sent
