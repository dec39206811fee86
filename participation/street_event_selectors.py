"""What street-event pages list (reads only; changes go through ``participation.street_events``).

Every list is one query (counts are annotations), so query counts stay the same as events and
sign-ups grow (``tests/participation/test_street_event_pages.py``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from accounts.roles import SomeUser
from participation.street_events import street_code_of
from workstations.models import EventSignup, StreetEvent, Workstation

LIVE = ~Q(signups__status=EventSignup.Status.CANCELLED)


def with_counts(events: QuerySet[StreetEvent]) -> QuerySet[StreetEvent]:
    """Events with ``taken`` (live sign-ups), ``attended`` and ``no_show`` counted in the query."""
    return events.annotate(
        taken=Count("signups", filter=LIVE),
        attended=Count("signups", filter=Q(signups__status=EventSignup.Status.ATTENDED)),
        no_show=Count("signups", filter=Q(signups__status=EventSignup.Status.NO_SHOW)),
    )


def _open_to(user: SomeUser, code: str | None) -> Q:
    """Events ``user`` may see: open ones, their street's, and any they signed up for."""
    visible = Q(audience=StreetEvent.Audience.EVERYONE)
    if code:
        visible |= Q(workstation__street=code)
    if user is not None and user.is_authenticated:
        visible |= Q(Exists(EventSignup.objects.filter(event=OuterRef("pk"), parent=user)))
    return visible


def visible_to(user: SomeUser) -> QuerySet[StreetEvent]:
    """Every event (past and cancelled too) whose page ``user`` may open."""
    return StreetEvent.objects.filter(_open_to(user, street_code_of(user))).select_related("workstation")


def upcoming_for(user: SomeUser, now: datetime.datetime | None = None) -> QuerySet[StreetEvent]:
    """Events not over nor cancelled that ``user`` may see: their own street's first, then by date;
    with ``taken`` and, for a signed-in person, ``mine`` (they hold a place)."""
    now = now or timezone.now()
    code = street_code_of(user)
    events = with_counts(
        StreetEvent.objects.filter(_open_to(user, code), cancelled_at__isnull=True, ends_at__gt=now)
    ).select_related("workstation")
    if user is not None and user.is_authenticated:
        mine = EventSignup.objects.live().filter(event=OuterRef("pk"), parent=user)
        events = events.annotate(mine=Exists(mine))
    own_first = Case(When(workstation__street=code or "", then=Value(0)), default=Value(1), output_field=IntegerField())
    return events.annotate(own_first=own_first, free=F("capacity") - F("taken")).order_by(
        "own_first", "starts_at", "pk"
    )


def live_signup(event: StreetEvent, parent: SomeUser) -> EventSignup | None:
    if parent is None or not parent.is_authenticated:
        return None
    return EventSignup.objects.live().filter(event=event, parent=parent).first()


def signups_of(parent: User) -> QuerySet[EventSignup]:
    """A parent's sign-ups, latest event first (cancelled ones too, so they see what happened)."""
    return (
        EventSignup.objects.filter(parent=parent)
        .select_related("event__workstation")
        .order_by("-event__starts_at", "-pk")
    )


def events_of(workstations: QuerySet[Workstation]) -> QuerySet[StreetEvent]:
    """The events of ``workstations`` with their counts: upcoming soonest first, then past ones."""
    now = timezone.now()
    upcoming_first = Case(When(ends_at__gt=now, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        with_counts(StreetEvent.objects.filter(workstation__in=workstations))
        .select_related("workstation")
        .annotate(past=upcoming_first)
        .order_by("past", "starts_at", "pk")
    )


def attendees(event: StreetEvent) -> QuerySet[EventSignup]:
    """An event's live and marked sign-ups with the parent joined (for its own staff only)."""
    return EventSignup.objects.live().filter(event=event).select_related("parent").order_by("signed_up_at", "pk")


@dataclass(frozen=True)
class EventFigures:
    """A street's (or the district's) events that took place, and who came: counts only."""

    held: int
    signed_up: int
    attended: int

    @property
    def attendance_rate(self) -> float:
        return round(100 * self.attended / self.signed_up, 1) if self.signed_up else 0.0


def event_figures(street_codes: list[str] | None, *, since: datetime.datetime | None = None) -> EventFigures:
    """Events held (started, not cancelled) of the streets ``street_codes`` (None: every street),
    their sign-ups that were not cancelled, and how many came. Two aggregate queries."""
    now = timezone.now()
    held = StreetEvent.objects.filter(cancelled_at__isnull=True, starts_at__lte=now)
    if since is not None:
        held = held.filter(starts_at__gte=since)
    if street_codes is not None:
        held = held.filter(workstation__street__in=street_codes)
    counts = EventSignup.objects.live().filter(event__in=held.values("pk"))
    figures = counts.aggregate(
        signed_up=Count("pk"), attended=Count("pk", filter=Q(status=EventSignup.Status.ATTENDED))
    )
    return EventFigures(held=held.count(), signed_up=figures["signed_up"], attended=figures["attended"])
