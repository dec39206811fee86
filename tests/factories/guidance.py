"""Factories for guidance plans: a case that decided on family-education guidance, a guidance
worker, a court and its liaison, a station slot and a marked booking."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from guidance.models import Court, CourtLiaison
from schools.models import BullyingReport, Measure, State
from tests.factories.accounts import UserFactory, add_totp
from tests.factories.schools import submitted_case
from workstations.models import AppointmentSlot, Booking, StationService, Workstation


def guidance_worker(*, mfa: bool = True):
    user = UserFactory(role=Role.GUIDANCE_WORKER, name="指导师王老师")
    if mfa:
        add_totp(user)
    return user


def court_liaison(court: Court, *, mfa: bool = True):
    user = UserFactory(role=Role.COURT_LIAISON, name="法院联络员")
    CourtLiaison.objects.create(user=user, court=court)
    if mfa:
        add_totp(user)
    return user


def court(name: str = "徐汇区人民法院") -> Court:
    return Court.objects.get_or_create(name=name)[0]


def determined_case(*, handler=None, measures=(Measure.FAMILY_EDUCATION,), **fields) -> BullyingReport:
    """A case determined as bullying with ``measures``, handled by ``handler``."""
    report = submitted_case(**fields)
    BullyingReport.objects.filter(pk=report.pk).update(
        state=State.HANDLING, measures=list(measures), handler=handler, determination="bullying"
    )
    report.refresh_from_db()
    return report


def station(name: str = "徐家汇家庭教育指导站") -> Workstation:
    return Workstation.objects.get_or_create(
        name=name,
        defaults={
            "kind": Workstation.Kind.GUIDANCE_STATION,
            "street": "xujiahui",
            "address": "演示路 2 号",
            "latitude": Decimal("31.18"),
            "longitude": Decimal("121.44"),
        },
    )[0]


def booking(parent, *, when: datetime.datetime | None = None, status: str = Booking.Status.ATTENDED) -> Booking:
    """A booking of ``parent`` at the demo station, marked ``status``."""
    when = when or timezone.now() - datetime.timedelta(hours=2)
    service = StationService.objects.get_or_create(slug="family-education", defaults={"name": "家庭教育指导"})[0]
    slot = AppointmentSlot.objects.create(
        station=station(), service=service, starts_at=when, ends_at=when + datetime.timedelta(hours=1), capacity=3
    )
    return Booking.objects.create(slot=slot, parent=parent, status=status)
