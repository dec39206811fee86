"""Street events: every change goes through here (issue 13, item 4).

Rules:

* **Who runs them.** A street workstation's child director or child supervisor
  (``WorkstationMembership``, ``accounts.roles.STREET_STAFF_ROLES``) creates, edits and cancels
  the events of their own workstation, sees who signed up and marks attendance; staff of one
  street can do none of this for another street's events (``workstations_run_by``).
* **Who may sign up.** Anyone signed in for an event open to everyone; only parents whose profile
  names the workstation's street for a street-only one. Sign-up closes at the deadline (at the
  latest when the event starts); a sign-up may be cancelled until the event starts.
* **Capacity under concurrency**: the event row is locked while its live sign-ups are counted
  and the new one written (``workstations.places``, as for station slots); a partial unique
  index keeps one live sign-up per parent and event.
* **Messages** (confirmation, cancellation by the parent, the event changed or cancelled, the
  day-before reminder) go to the outbox in the same transaction as the change, each at most
  once (dedupe keys); the reminder is keyed by the event's date, so an event moved to another
  day is reminded again, once.

Reads live in ``participation.street_event_selectors``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import SomeUser, is_street_staff
from core.errors import DomainError
from participation.models import ParentProfile
from workstations import places
from workstations.models import EventSignup, StreetEvent, Workstation, WorkstationMembership

MAX_CAPACITY = 500
MAX_DAYS_AHEAD = 366
STREET_ROLES = (WorkstationMembership.Role.CHILD_DIRECTOR, WorkstationMembership.Role.CHILD_SUPERVISOR)


class StreetEventError(DomainError):
    """A rule of street events refused what was asked."""


# --- Who runs which workstation -----------------------------------------------------------------


def workstations_run_by(user: SomeUser) -> QuerySet[Workstation]:
    """The street workstations whose events ``user`` runs (none for anyone but their staff)."""
    if user is None or not user.is_authenticated or not is_street_staff(user):
        return Workstation.objects.none()
    return Workstation.objects.filter(
        kind=Workstation.Kind.WORKSTATION, memberships__user=user, memberships__role__in=STREET_ROLES
    ).distinct()


def runs_event(user: SomeUser, event: StreetEvent) -> bool:
    return workstations_run_by(user).filter(pk=event.workstation_id).exists()


def _require_staff(user: SomeUser, workstation_id: int) -> None:
    if not workstations_run_by(user).filter(pk=workstation_id).exists():
        raise StreetEventError(_("Only this workstation's staff can do that."))


def street_code_of(parent: SomeUser) -> str | None:
    """The code of the street ``parent`` says they live in (None if they have not said)."""
    if parent is None or not parent.is_authenticated:
        return None
    return ParentProfile.objects.filter(parent=parent).values_list("street__code", flat=True).first()


def may_sign_up(parent: SomeUser, event: StreetEvent) -> bool:
    """Whether ``parent`` is in the event's audience (deadline and places aside)."""
    if parent is None or not parent.is_authenticated:
        return False
    if event.audience == StreetEvent.Audience.EVERYONE:
        return True
    return street_code_of(parent) == event.workstation.street


# --- Creating, editing, cancelling --------------------------------------------------------------


@dataclass(frozen=True)
class EventDetails:
    """What staff fill in; the same for a new event and an edit."""

    title: str
    description: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    audience: str
    signup_deadline: datetime.datetime | None = None  # None: until the event starts


def _check(details: EventDetails) -> datetime.datetime:
    """Refuses impossible details; returns the sign-up deadline to store."""
    now = timezone.now()
    if not details.title.strip() or not details.place.strip():
        raise StreetEventError(_("An event needs a title and a place."))
    if details.starts_at <= now:
        raise StreetEventError(_("An event must start in the future."))
    if details.starts_at > now + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise StreetEventError(_("An event can be planned at most a year ahead."))
    if details.ends_at <= details.starts_at:
        raise StreetEventError(_("An event must end after it starts."))
    if details.ends_at - details.starts_at > datetime.timedelta(days=7):
        raise StreetEventError(_("An event lasts at most a week."))
    if not 1 <= details.capacity <= MAX_CAPACITY:
        raise StreetEventError(_("An event has between 1 and %(max)d places.") % {"max": MAX_CAPACITY})
    if details.audience not in StreetEvent.Audience.values:
        raise StreetEventError(_("Choose who the event is open to."))
    deadline = details.signup_deadline or details.starts_at
    if deadline > details.starts_at:
        raise StreetEventError(_("Sign-up must close before the event starts."))
    return deadline


def create_event(*, workstation: Workstation, details: EventDetails, by: User) -> StreetEvent:
    _require_staff(by, workstation.pk)
    deadline = _check(details)
    return StreetEvent.objects.create(
        workstation=workstation,
        title=details.title.strip(),
        description=details.description.strip(),
        place=details.place.strip(),
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        capacity=details.capacity,
        audience=details.audience,
        signup_deadline=deadline,
        created_by=by,
    )


def update_event(*, event: StreetEvent, details: EventDetails, by: User) -> StreetEvent:
    """Changes an event that has not started; families signed up are told of a new time or place."""
    _require_staff(by, event.workstation_id)
    with transaction.atomic():
        event = places.lock(event)
        if event.cancelled_at is not None:
            raise StreetEventError(_("A cancelled event cannot be changed."))
        if event.starts_at <= timezone.now():
            raise StreetEventError(_("An event that has started cannot be changed."))
        deadline = _check(details)
        signups = list(EventSignup.objects.live().filter(event=event).select_related("parent"))
        if details.capacity < len(signups):
            raise StreetEventError(
                _("%(count)d families have signed up: the event needs at least that many places.")
                % {"count": len(signups)}
            )
        moved = (details.starts_at, details.ends_at, details.place.strip()) != (
            event.starts_at,
            event.ends_at,
            event.place,
        )
        new_day = timezone.localdate(details.starts_at) != timezone.localdate(event.starts_at)
        event.title = details.title.strip()
        event.description = details.description.strip()
        event.place = details.place.strip()
        event.starts_at, event.ends_at = details.starts_at, details.ends_at
        event.capacity, event.audience, event.signup_deadline = details.capacity, details.audience, deadline
        event.save()
        if moved:
            version = int(event.updated_at.timestamp())
            for signup in signups:
                signup.event = event
                _tell(signup, "changed", key=f"{signup.pk}:{version}")
                if new_day:
                    signup.reminder_queued_at = None
                    signup.save(update_fields=["reminder_queued_at"])
    return event


def cancel_event(*, event: StreetEvent, by: User) -> int:
    """Cancels an event that has not started; its live sign-ups are cancelled and the families told."""
    _require_staff(by, event.workstation_id)
    with transaction.atomic():
        event = places.lock(event)
        if event.cancelled_at is not None:
            return 0
        if event.starts_at <= timezone.now():
            raise StreetEventError(_("An event that has started cannot be cancelled."))
        now = timezone.now()
        event.cancelled_at = now
        event.save(update_fields=["cancelled_at"])
        signups = list(EventSignup.objects.live().filter(event=event).select_related("parent"))
        for signup in signups:
            signup.status, signup.cancelled_at, signup.event = EventSignup.Status.CANCELLED, now, event
            signup.save(update_fields=["status", "cancelled_at"])
            _tell(signup, "called_off")
    return len(signups)


# --- Signing up and cancelling ------------------------------------------------------------------


def sign_up(*, event: StreetEvent, parent: User) -> EventSignup:
    """A place for ``parent`` at ``event``, with its confirmation in the outbox."""
    if not parent.is_authenticated:
        raise StreetEventError(_("Please sign in to sign up."))
    with transaction.atomic():
        locked = places.lock(event)
        now = timezone.now()
        if locked.cancelled_at is not None:
            raise StreetEventError(_("This event has been cancelled."))
        if locked.starts_at <= now:
            raise StreetEventError(_("This event has already started."))
        if locked.signup_deadline <= now:
            raise StreetEventError(_("Sign-up for this event has closed."))
        if not may_sign_up(parent, locked):
            raise StreetEventError(_("This event is for parents who live in its street or town."))
        places.claim(
            live=EventSignup.objects.live().filter(event=locked),
            parent=parent,
            capacity=locked.capacity,
            already=_("You have already signed up for this event."),
            full=_("Sorry, this event is full."),
            error=StreetEventError,
        )
        signup = EventSignup.objects.create(event=locked, parent=parent)
        signup = EventSignup.objects.select_related("event__workstation", "parent").get(pk=signup.pk)
        _tell(signup, "signed_up")
    return signup


def may_cancel(signup: EventSignup, now: datetime.datetime | None = None) -> bool:
    return signup.status == EventSignup.Status.SIGNED_UP and signup.event.starts_at > (now or timezone.now())


def cancel_signup(*, signup: EventSignup, by: User) -> EventSignup:
    """The parent gives their place back, until the event starts."""
    if signup.parent_id != by.pk:
        raise StreetEventError(_("This is not your sign-up."))
    with transaction.atomic():
        places.lock(signup.event)
        signup = EventSignup.objects.select_related("event__workstation", "parent").get(pk=signup.pk)
        if signup.status == EventSignup.Status.CANCELLED:
            return signup
        if not may_cancel(signup):
            raise StreetEventError(_("A sign-up can only be cancelled before the event starts."))
        signup.status, signup.cancelled_at = EventSignup.Status.CANCELLED, timezone.now()
        signup.save(update_fields=["status", "cancelled_at"])
        _tell(signup, "cancelled")
    return signup


def mark_attendance(*, signup: EventSignup, attended: bool, by: User) -> EventSignup:
    """Came or did not come, once the event has started; marking again corrects a mistake."""
    _require_staff(by, signup.event.workstation_id)
    with transaction.atomic():
        signup = EventSignup.objects.select_for_update(of=("self",)).select_related("event").get(pk=signup.pk)
        if signup.status == EventSignup.Status.CANCELLED:
            raise StreetEventError(_("A cancelled sign-up cannot be marked."))
        if signup.event.starts_at > timezone.now():
            raise StreetEventError(_("Attendance can be marked once the event has started."))
        signup.status = EventSignup.Status.ATTENDED if attended else EventSignup.Status.NO_SHOW
        signup.attendance_marked_at, signup.marked_by = timezone.now(), by
        signup.save(update_fields=["status", "attendance_marked_at", "marked_by"])
    return signup


# --- Reminders ----------------------------------------------------------------------------------


def signups_to_remind(today: datetime.date | None = None) -> QuerySet[EventSignup]:
    """Live, unreminded sign-ups whose event is tomorrow (local time)."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    return EventSignup.objects.filter(
        status=EventSignup.Status.SIGNED_UP,
        reminder_queued_at__isnull=True,
        event__cancelled_at__isnull=True,
        event__starts_at__date=tomorrow,
    ).select_related("event__workstation", "parent")


def send_reminders(today: datetime.date | None = None) -> int:
    """The day-before reminder of each sign-up, once (``workstations.places.remind_once``)."""

    def tell(signup: EventSignup) -> bool:
        return _tell(signup, "reminder", key=f"{signup.pk}:{timezone.localdate(signup.event.starts_at).isoformat()}")

    return places.remind_once(lambda: signups_to_remind(today), tell)


# --- Messages -----------------------------------------------------------------------------------


def event_url(event: StreetEvent) -> str:
    return settings.SITE_URL + reverse("participation:event", args=[event.pk])


def _facts(signup: EventSignup) -> dict[str, str]:
    event = signup.event
    return {
        "event": event.title,
        "station": event.workstation.name,
        "place": event.place,
        "when": places.local_span(event.starts_at, event.ends_at),
        "url": event_url(event),
    }


TEXTS = {
    "signed_up": lambda facts: (
        _("You are signed up: %(event)s") % facts,
        _("Signed up: %(event)s (%(station)s) at %(place)s, %(when)s. To see or cancel: %(url)s") % facts,
    ),
    "cancelled": lambda facts: (
        _("Your sign-up is cancelled: %(event)s") % facts,
        _("Cancelled: your place at %(event)s, %(when)s. %(url)s") % facts,
    ),
    "changed": lambda facts: (
        _("Changed: %(event)s") % facts,
        _(
            "%(station)s has changed %(event)s: it is now at %(place)s, %(when)s. "
            "If you cannot come, please cancel: %(url)s"
        )
        % facts,
    ),
    "called_off": lambda facts: (
        _("Cancelled by the organiser: %(event)s") % facts,
        _("%(station)s has cancelled %(event)s (%(when)s), so your place is cancelled. %(url)s") % facts,
    ),
    "reminder": lambda facts: (
        _("Reminder: %(event)s tomorrow") % facts,
        _("Reminder: %(event)s at %(place)s, %(when)s. If you cannot come, please cancel: %(url)s") % facts,
    ),
}


def _tell(signup: EventSignup, kind: str, *, key: str | None = None) -> bool:
    return places.tell_parent(
        signup.parent,
        texts=lambda: TEXTS[kind](_facts(signup)),
        dedupe=f"street-event:{kind}:{key or signup.pk}",
    )
