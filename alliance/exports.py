"""CSV and XLSX lists of an event's registrations, for the organisers at the door.

Written by ``core.exports``, the one writer of every export: UTF-8 with a byte-order mark
for spreadsheet programs, and any cell a spreadsheet would run as a formula is defused, since
names and schools are typed by the public.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import AllianceEventPage, EventRegistration
from core.exports import table_to_csv, table_to_xlsx


def registrations_for(event: AllianceEventPage) -> QuerySet[EventRegistration]:
    """Every registration of ``event`` (cancelled ones last), in one query."""
    return EventRegistration.objects.filter(event=event).order_by("cancelled", "created_at", "pk")


def headers() -> list[str]:
    return [
        _("No."),
        _("Full name"),
        _("Mobile phone"),
        _("E-mail"),
        _("School or organisation"),
        _("Registered at"),
        _("Status"),
    ]


def _display_phone(phone: str) -> str:
    return phone.removeprefix("+86")


def row(number: int, registration: EventRegistration) -> list:
    return [
        number,
        registration.name,
        _display_phone(registration.phone),
        registration.email,
        registration.organisation,
        timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
        _("Cancelled") if registration.cancelled else _("Registered"),
    ]


def rows(registrations):
    return (row(number, item) for number, item in enumerate(registrations, start=1))


def to_csv(registrations) -> bytes:
    return table_to_csv(headers(), rows(registrations))


def to_xlsx(registrations, title: str = "") -> bytes:
    return table_to_xlsx(headers(), rows(registrations), title or _("Registrations"))


def filename(event: AllianceEventPage, file_format: str) -> str:
    return f"registrations-{event.slug}-{timezone.localdate():%Y%m%d}.{file_format}"
