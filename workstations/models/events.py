"""Street events (issue 13): what a street workstation's child director or supervisor runs for
families — a talk, a parents' salon, a open day — and the parents who signed up.

The rules (who may create, sign up, mark attendance) live in ``participation.street_events``,
which knows where a parent lives; a street-only event is open to the parents whose profile
names the workstation's street.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stations import Workstation


class StreetEvent(models.Model):
    """One event of a street workstation, with ``capacity`` places and a sign-up deadline."""

    class Audience(models.TextChoices):
        STREET = "street", _("Parents living in this street/town")
        EVERYONE = "everyone", _("Everyone")

    workstation = models.ForeignKey(
        Workstation,
        on_delete=models.PROTECT,
        related_name="events",
        limit_choices_to={"kind": Workstation.Kind.WORKSTATION},
        verbose_name=_("workstation"),
    )
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    audience = models.CharField(_("open to"), max_length=20, choices=Audience.choices, default=Audience.STREET)
    signup_deadline = models.DateTimeField(_("sign-up deadline"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["starts_at"], name="ws_event_starts_idx"),
            models.Index(fields=["workstation", "starts_at"], name="ws_event_station_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="workstations_event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="workstations_event_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(signup_deadline__lte=models.F("starts_at")), name="workstations_event_deadline_before_start"
            ),
        ]
        verbose_name = _("street event")
        verbose_name_plural = _("street events")

    def __str__(self) -> str:
        return f"{self.workstation} · {self.title} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class EventSignupQuerySet(models.QuerySet["EventSignup"]):
    def live(self) -> EventSignupQuerySet:
        """Sign-ups that hold a place: not cancelled."""
        return self.exclude(status=EventSignup.Status.CANCELLED)


class EventSignup(models.Model):
    """A parent's place at a street event. At most one live sign-up per parent and event."""

    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    event = models.ForeignKey(StreetEvent, on_delete=models.PROTECT, related_name="signups", verbose_name=_("event"))
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="street_event_signups",
        verbose_name=_("parent"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SIGNED_UP)
    signed_up_at = models.DateTimeField(_("signed up"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the day-before reminder went to the outbox (reset when the event moves to another day).
    reminder_queued_at = models.DateTimeField(_("reminder queued"), null=True, blank=True)

    objects = EventSignupQuerySet.as_manager()

    class Meta:
        ordering = ["signed_up_at", "pk"]
        indexes = [models.Index(fields=["parent", "status"], name="ws_signup_parent_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "parent"],
                condition=~Q(status="cancelled"),
                name="workstations_signup_one_live_per_parent",
            ),
        ]
        verbose_name = _("event sign-up")
        verbose_name_plural = _("event sign-ups")

    def __str__(self) -> str:
        return f"{self.event} · {self.get_status_display()}"
