"""Registering for alliance events: the one place that decides who gets a seat.

Rules:
* Registration is open until the event's deadline (or its start) and never once it is over.
* An event never holds more active registrations than it has seats. The seat count is read
  and the registration written inside one transaction that holds ``SELECT … FOR UPDATE`` on
  the event row, so two people cannot both take the last seat.
* One active registration per mobile number and event (a partial unique index backs this up).
* The confirmation (text message, plus e-mail when one is given) is written to the schools
  notification outbox in the same transaction, so it is sent exactly once, after the commit,
  and is not lost when the broker or the worker is down (the beat schedule retries the outbox).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance.models import AllianceEventPage, EventRegistration, RegistrationState
from core.errors import DomainError
from schools.models import Notification


class RegistrationError(DomainError):
    """A rule refused the registration; ``message`` is shown to the person registering, ``code``
    names the refusal for the registration form."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def refusal(state: str) -> RegistrationError | None:
    """The error a registration gets in ``state`` (None when registration is open)."""
    if state == RegistrationState.PAST:
        return RegistrationError(_("This event has already taken place."), "past")
    if state == RegistrationState.CLOSED:
        return RegistrationError(_("Registration for this event has closed."), "closed")
    if state == RegistrationState.FULL:
        return RegistrationError(_("Sorry, this event is fully booked. No seats are left."), "full")
    return None


def duplicate_error() -> RegistrationError:
    return RegistrationError(_("This mobile number is already registered for this event."), "duplicate")


def _lock_event(event: AllianceEventPage) -> AllianceEventPage:
    return AllianceEventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


@transaction.atomic
def register(
    event: AllianceEventPage,
    *,
    name: str,
    phone: str,
    email: str = "",
    organisation: str = "",
    user=None,
    now: datetime.datetime | None = None,
) -> EventRegistration:
    """Books a seat at ``event`` for ``phone`` (E.164) and queues the confirmation.

    Raises ``RegistrationError`` when the event is over, closed or full, or the number is
    already registered.
    """
    now = now or timezone.now()
    event = _lock_event(event)
    if not event.live:
        raise RegistrationError(_("This event is not open for registration."), "not_live")
    error = refusal(event.registration_state(now))
    if error is not None:
        raise error
    if EventRegistration.objects.filter(event=event, phone=phone, cancelled=False).exists():
        raise duplicate_error()
    try:
        with transaction.atomic():
            registration = EventRegistration.objects.create(
                event=event,
                name=name.strip(),
                phone=phone,
                email=email.strip(),
                organisation=organisation.strip(),
                user=user if getattr(user, "is_authenticated", False) else None,
                created_at=now,
            )
    except IntegrityError as integrity_error:
        raise duplicate_error() from integrity_error
    queue_confirmation(registration)
    return registration


@transaction.atomic
def cancel(registration: EventRegistration) -> EventRegistration:
    """Frees the seat; the row is kept (with ``cancelled_at``) for the organisers' records."""
    _lock_event(registration.event)
    registration = EventRegistration.objects.select_for_update().get(pk=registration.pk)
    if not registration.cancelled:
        registration.cancelled = True
        registration.save(update_fields=["cancelled", "cancelled_at"])
    return registration


def event_url(event: AllianceEventPage) -> str:
    path = event.get_url() or ""
    return path if path.startswith("http") else settings.SITE_URL + path


def confirmation_text(registration: EventRegistration) -> tuple[str, str]:
    """Subject and body of the confirmation, in Chinese (what the site's users read)."""
    event = registration.event
    with translation.override("zh-hans"):
        starts = timezone.localtime(event.starts_at)
        ends = timezone.localtime(event.ends_at)
        when = (
            f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}"
            if starts.date() == ends.date()
            else (f"{starts:%Y-%m-%d %H:%M} – {ends:%Y-%m-%d %H:%M}")
        )
        context = {"name": registration.name, "event": event.title, "when": when, "place": event.place}
        subject = _("Registration confirmed: %(event)s") % context
        body = (
            _(
                "%(name)s, you are registered for “%(event)s”, %(when)s, at %(place)s. "
                "If you cannot come, please tell the organisers so that someone else can have your seat."
            )
            % context
        )
        return subject, f"{body} {event_url(event)}"


def queue_confirmation(registration: EventRegistration) -> list[Notification]:
    """Writes the confirmation to the notification outbox; delivery is kicked after the commit.

    Keyed by registration and channel (``dedupe_key``), so calling it twice adds nothing.
    """
    from schools.notifications import kick_delivery

    subject, body = confirmation_text(registration)
    channels = [(Notification.Channel.SMS, registration.phone)]
    if registration.email:
        channels.append((Notification.Channel.EMAIL, registration.email))
    created = []
    for channel, address in channels:
        key = f"alliance-registration:{registration.pk}:{channel}"
        if Notification.objects.filter(dedupe_key=key).exists():
            continue
        created.append(
            Notification.objects.create(
                recipient=registration.user,
                channel=channel,
                address=address,
                subject=subject,
                body=body,
                dedupe_key=key,
            )
        )
    if created:
        transaction.on_commit(kick_delivery)
    return created
