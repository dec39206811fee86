"""Guidance plans, their guardians, the guardians' one-time links, and the plan's own timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.crypto import EncryptedTextField

from .orders import CourtOrder


class GuidancePlan(models.Model):
    """What the guardians of a case (or of a court order) must do, by when, with whom.

    Required courses are ``courses.Assignment`` rows (made by ``courses.services.assign_course``,
    their reason naming the plan); required sessions are counted from the plan's own bookings
    (``PlanBooking``: a guardian's guidance-type booking in the plan's period). Rules:
    ``guidance.services``.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Period ended with requirements unmet")

    case = models.ForeignKey(
        "schools.BullyingReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    order = models.OneToOneField(
        CourtOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="plan", verbose_name=_("court order")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="guidance_plans",
        verbose_name=_("guidance worker"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    courses = models.ManyToManyField("courses.CoursePage", related_name="+", verbose_name=_("required courses"))
    course_deadline = models.DateField(_("courses to be finished by"))
    required_sessions = models.PositiveSmallIntegerField(_("required guidance sessions"), default=0)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"))
    review_on = models.DateField(_("review date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    assessment = EncryptedTextField(_("guidance worker's assessment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["ends_on", "pk"]
        verbose_name = _("guidance plan")
        verbose_name_plural = _("guidance plans")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="guidance_plan_period")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The plan's number as guardians and staff read it; it names no case."""
        return f"ZD{self.pk:06d}" if self.pk else "ZD-"


class PlanGuardian(models.Model):
    """A guardian the plan is for: a name and a mobile number until they sign in, then their account."""

    plan = models.ForeignKey(GuidancePlan, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("plan"))
    name = EncryptedTextField(_("name"))
    phone = models.CharField(_("mobile phone"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guidance_guardianships",
        verbose_name=_("account"),
    )
    joined_at = models.DateTimeField(_("linked at"), null=True, blank=True)
    assignments = models.ManyToManyField("courses.Assignment", related_name="+", verbose_name=_("course assignments"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        constraints = [models.UniqueConstraint(fields=["plan", "phone"], name="guidance_one_guardian_per_phone")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        digits = self.phone.removeprefix("+86")
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "****"


class GuardianInvitation(models.Model):
    """A single-use, expiring link sent by text message; only the token's SHA-256 is kept."""

    guardian = models.ForeignKey(
        PlanGuardian, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("guardian")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("guardian invitation")
        verbose_name_plural = _("guardian invitations")

    def __str__(self) -> str:
        return f"{self.guardian} · {self.created_at:%Y-%m-%d}"


class PlanBooking(models.Model):
    """A guardian's station booking that counts for this plan (one plan per booking).

    Linked from this side so that the stations' app knows nothing of plans: a guidance-type
    booking (``settings.GUIDANCE_SESSION_SERVICES``) made by a guardian of an open plan, for a
    time in the plan's period, is linked when it is made (``guidance.signals``) or when the
    guardian's account is linked to the plan (``guidance.services.sessions``).
    """

    plan = models.ForeignKey(
        GuidancePlan, on_delete=models.CASCADE, related_name="plan_bookings", verbose_name=_("plan")
    )
    booking = models.OneToOneField(
        "workstations.Booking", on_delete=models.CASCADE, related_name="plan_link", verbose_name=_("booking")
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("plan session booking")
        verbose_name_plural = _("plan session bookings")

    def __str__(self) -> str:
        return f"{self.plan} · {self.booking_id}"


class PlanEvent(models.Model):
    """One step of a plan's progress or of its escalation, recorded once (unique ``key``).

    ``detail`` names a course title or a date, never a person or the case: the same line is
    copied to the case timeline for those who may see the case.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Plan created")
        INVITED = "invited", _("Link sent to a guardian")
        JOINED = "joined", _("A guardian linked their account")
        COURSE_FINISHED = "course_finished", _("Course finished")
        COURSE_OVERDUE = "course_overdue", _("Course overdue")
        SESSION_ATTENDED = "session_attended", _("Guidance session attended")
        SESSION_MISSED = "session_missed", _("Guidance session missed")
        END_NEAR = "end_near", _("Plan nears its end with requirements unmet")
        COMPLETED = "completed", _("Plan completed")
        ENDED = "ended", _("Plan period ended")
        REPORT_ISSUED = "report_issued", _("Completion report issued")

    plan = models.ForeignKey(GuidancePlan, on_delete=models.CASCADE, related_name="events", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=80)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="guidance_event_once")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.kind}"
