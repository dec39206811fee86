"""Factories for guidance-station appointments: stations, their staff, slots and bookings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from tests.factories.accounts import UserFactory
from workstations.models import AppointmentSlot, Booking, StationService, Workstation, WorkstationMembership

SERVICES = [("family-education", "家庭教育指导"), ("counselling", "心理咨询")]


def service(slug: str = "family-education") -> StationService:
    name = dict(SERVICES)[slug]
    return StationService.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def guidance_station(name: str = "测试家庭教育指导站") -> Workstation:
    station, created = Workstation.objects.get_or_create(
        name=name,
        defaults={
            "kind": Workstation.Kind.GUIDANCE_STATION,
            "street": "xujiahui",
            "address": "徐汇区示例路 9 号（示例地址）",
            "phone": "021-0000-0009",
            "latitude": Decimal("31.19"),
            "longitude": Decimal("121.43"),
        },
    )
    if created:
        station.services.add(*(service(slug) for slug, _name in SERVICES))
    return station


def guidance_worker(station: Workstation | None = None, **user_fields):
    """A guidance worker (指导站工作人员) of ``station`` (made unless given)."""
    station = station or guidance_station()
    user = UserFactory(role=Role.GUIDANCE_WORKER, **user_fields)
    WorkstationMembership.objects.create(
        user=user, workstation=station, role=WorkstationMembership.Role.GUIDANCE_WORKER
    )
    return user


def slot(
    station: Workstation | None = None,
    *,
    starts_in: datetime.timedelta = datetime.timedelta(days=2),
    minutes: int = 60,
    capacity: int = 1,
    service_slug: str = "family-education",
    **fields,
) -> AppointmentSlot:
    """A published slot, ``starts_in`` from now (negative for one that has started)."""
    station = station or guidance_station()
    starts_at = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    return AppointmentSlot.objects.create(
        station=station,
        service=service(service_slug),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        capacity=capacity,
        **fields,
    )


def booking(slot_: AppointmentSlot, parent=None, **fields) -> Booking:
    """A booking written directly (for slots in the past, which the service refuses to book)."""
    return Booking.objects.create(slot=slot_, parent=parent or UserFactory(role=Role.PARENT), **fields)
