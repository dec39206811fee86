"""The messages of guidance-station appointments (confirmation, cancellation, withdrawal, the
day-before reminder): texts in the site's language, queued through the ``schools.notifications``
outbox with a dedupe key that makes each kind of message about a booking at most once."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from . import places
from .models import Booking


def my_bookings_url() -> str:
    return settings.SITE_URL + reverse("workstations:my_bookings")


def when(booking: Booking) -> str:
    return places.local_span(booking.slot.starts_at, booking.slot.ends_at)


def _facts(booking: Booking) -> dict[str, str]:
    """What a message about ``booking`` may name: the service, the station and its address, when, and
    where the parent sees their bookings."""
    slot = booking.slot
    return {
        "service": slot.service.name,
        "station": slot.station.name,
        "address": slot.station.address,
        "when": when(booking),
        "url": my_bookings_url(),
    }


def _booked_text(booking: Booking) -> tuple[str, str]:
    slot = booking.slot
    subject = _("Your appointment at %(station)s is booked") % {"station": slot.station.name}
    body = _(
        "Booked: %(service)s at %(station)s (%(address)s), %(when)s. To see or cancel your bookings: %(url)s"
    ) % _facts(booking)
    return subject, body


def _cancelled_text(booking: Booking) -> tuple[str, str]:
    subject = _("Your appointment at %(station)s is cancelled") % {"station": booking.slot.station.name}
    body = _("Cancelled: %(service)s at %(station)s, %(when)s. You can book another time: %(url)s") % _facts(booking)
    return subject, body


def _withdrawn_text(booking: Booking) -> tuple[str, str]:
    subject = _("Your appointment at %(station)s cannot take place") % {"station": booking.slot.station.name}
    body = _(
        "The station has withdrawn %(service)s on %(when)s, so your booking is cancelled. "
        "Please book another time: %(url)s"
    ) % _facts(booking)
    return subject, body


def _reminder_text(booking: Booking) -> tuple[str, str]:
    slot = booking.slot
    subject = _("Reminder: your appointment at %(station)s tomorrow") % {"station": slot.station.name}
    body = _(
        "Reminder: %(service)s at %(station)s (%(address)s), %(when)s. If you cannot come, please cancel: %(url)s"
    ) % _facts(booking)
    return subject, body


TEXTS = {
    "booked": _booked_text,
    "cancelled": _cancelled_text,
    "withdrawn": _withdrawn_text,
    "reminder": _reminder_text,
}


def tell(booking: Booking, kind: str) -> bool:
    """One message to the parent (e-mail if they have an address, else a text message), in the
    site's language; the dedupe key makes each kind of message about a booking at most once."""
    return places.tell_parent(
        booking.parent, texts=lambda: TEXTS[kind](booking), dedupe=f"appointment:{kind}:{booking.pk}"
    )
