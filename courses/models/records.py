"""Records that are not content: enrolments, assignments and lesson progress.

They are plain Django models (shown in the admin with ``ModelViewSet``); every rule that
changes them lives in ``courses.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    """A parent's place in a course: active, on the waitlist, or left.

    One row per parent and course; leaving and enrolling again reuse it, so the course's
    completion (``completed_at``) is never lost. ``requested_at`` orders the waitlist:
    the earliest request gets the next free seat.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waitlist")
        LEFT = "left", _("Left")

    class Source(models.TextChoices):
        OPEN = "open", _("Open enrolment")
        CODE = "code", _("Enrolment code")
        ASSIGNED = "assigned", _("Assigned")

    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("parent"), on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(_("how enrolled"), max_length=12, choices=Source.choices, default=Source.OPEN)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    enrolled_at = models.DateTimeField(_("seat taken at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["course", "parent"], name="courses_one_enrolment_per_parent")]
        indexes = [models.Index(fields=["course", "status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.parent} · {self.course_id} · {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    # Reports (``courses.reports.enrolment_rows``) annotate lesson_count, done_count and deadline.
    @property
    def progress_percent(self) -> int:
        if self.completed_at is not None:
            return 100
        lessons = getattr(self, "lesson_count", None) or 0
        return int(100 * (getattr(self, "done_count", None) or 0) / lessons) if lessons else 0

    @property
    def is_overdue(self) -> bool:
        deadline = getattr(self, "deadline", None)
        return deadline is not None and self.completed_at is None and deadline < timezone.localdate()

    @property
    def parent_name(self) -> str:
        return str(self.parent)

    @property
    def parent_phone(self) -> str:
        return self.parent.masked_phone


class Assignment(models.Model):
    """A course given to a parent with a deadline and a reason (家庭教育指导).

    A first-class record rather than a flag on the enrolment: it says who assigned the course,
    why and by when, and will later be linked to a court order or a bullying case. Creating
    one enrols the parent (``courses.services.assign_course``).
    """

    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="assignments"
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("parent"), on_delete=models.CASCADE, related_name="assignments"
    )
    deadline = models.DateField(_("deadline"))
    reason = models.CharField(_("reason"), max_length=300)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), null=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        ordering = ["deadline"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.parent} · {self.course_id} · {self.deadline}"

    def is_overdue(self, today=None) -> bool:
        """Overdue: the deadline has passed and the course is not finished."""
        today = today or timezone.localdate()
        completed = self.enrolment is not None and self.enrolment.completed_at is not None
        return not completed and self.deadline < today


class LessonProgress(models.Model):
    """One parent's progress in one lesson: first opened, resume point, watched time, done.

    Kept per parent and lesson (not per enrolment), so progress survives leaving and
    enrolling again. ``watched_intervals`` is a sorted list of disjoint ``[start, end]``
    seconds merged by the server; ``completed_at`` is sticky and never cleared.
    """

    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("parent"), on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="progress_records"
    )
    first_opened_at = models.DateTimeField(_("first opened at"), default=timezone.now)
    position_seconds = models.FloatField(_("resume point (seconds)"), default=0)
    watched_intervals = models.JSONField(_("watched intervals"), default=list, blank=True)
    watched_seconds = models.FloatField(_("seconds watched"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["parent", "lesson"], name="courses_one_progress_per_lesson")]

    def __str__(self) -> str:
        return f"{self.parent} · {self.lesson_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class ReminderPreference(models.Model):
    """Whether a parent wants the optional "due soon" reminders; overdue notices always go."""

    parent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        related_name="course_reminder_preference",
    )
    optional_reminders = models.BooleanField(_("send reminders before deadlines"), default=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return f"{self.parent} · {self.optional_reminders}"


class Reminder(models.Model):
    """A reminder sent for an assignment; the unique (assignment, kind) makes it exactly once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due in 3 days")
        OVERDUE = "overdue", _("Overdue")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("sent by"), max_length=8, choices=Channel.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["assignment", "kind"], name="courses_one_reminder_per_kind")]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.kind}"
