"""Demo data for guidance-station appointments (``data/appointments.json``): slots at the 4 demo
guidance stations for the next two weeks, the demo guidance worker's membership, a few bookings
and one attended session with a made-up record.

Idempotent: slots are looked up by station, service and start; bookings by slot and parent.
Rows are written directly (no confirmation messages are queued for demo families).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from ..builder import load
from ..sources import (
    AppointmentSlot,
    Booking,
    SessionRecord,
    StationService,
    User,
    Workstation,
    WorkstationMembership,
)

DATA = load("appointments.json")


def _slot(station: Workstation, service: StationService, day: datetime.date, spec: dict) -> AppointmentSlot:
    hour, minute = (int(part) for part in spec["time"].split(":"))
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    slot, _created = AppointmentSlot.objects.get_or_create(
        station=station,
        service=service,
        starts_at=starts_at,
        cancelled_at=None,
        defaults={
            "ends_at": starts_at + datetime.timedelta(minutes=spec["minutes"]),
            "capacity": spec.get("capacity", 1),
        },
    )
    return slot


def create_demo_appointments(today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    stations = {s.name: s for s in Workstation.objects.filter(kind=Workstation.Kind.GUIDANCE_STATION)}
    services = {s.slug: s for s in StationService.objects.all()}
    future: dict[str, list[AppointmentSlot]] = {}
    for name, station in stations.items():
        for offset in range(1, DATA["weeks"] * 7 + 1):
            day = today + datetime.timedelta(days=offset)
            for spec in DATA["pattern"]:
                if day.weekday() == spec["weekday"] and spec["service"] in services:
                    future.setdefault(name, []).append(_slot(station, services[spec["service"]], day, spec))
    worker = User.objects.filter(username=DATA["worker"]["username"]).first()
    if worker is not None and DATA["worker"]["station"] in stations:
        WorkstationMembership.objects.get_or_create(
            user=worker,
            workstation=stations[DATA["worker"]["station"]],
            defaults={"role": WorkstationMembership.Role.GUIDANCE_WORKER},
        )
    users = {u.username: u for u in User.objects.filter(username__in=[b["username"] for b in DATA["bookings"]])}
    bookings = 0
    for spec in DATA["bookings"]:
        slots = future.get(spec["station"], [])
        parent = users.get(spec["username"])
        if parent is None or spec["slot_index"] >= len(slots):
            continue
        slot = slots[spec["slot_index"]]
        if Booking.objects.live().filter(slot=slot).count() < slot.capacity:
            Booking.objects.get_or_create(slot=slot, parent=parent, status=Booking.Status.BOOKED)
            bookings += 1
    _attended_session(stations, services, today)
    return {"slots": sum(len(slots) for slots in future.values()), "bookings": bookings}


def _attended_session(stations: dict, services: dict, today: datetime.date) -> None:
    spec = DATA["attended"]
    parent = User.objects.filter(username=spec["username"]).first()
    station = stations.get(spec["station"])
    if parent is None or station is None or spec["service"] not in services:
        return
    day = today - datetime.timedelta(days=spec["days_ago"])
    slot = _slot(station, services[spec["service"]], day, {"time": spec["time"], "minutes": 60, "capacity": 2})
    booking, created = Booking.objects.get_or_create(
        slot=slot,
        parent=parent,
        defaults={"status": Booking.Status.ATTENDED, "attendance_marked_at": slot.ends_at},
    )
    if created:
        worker = User.objects.filter(username=DATA["worker"]["username"]).first()
        SessionRecord.objects.create(booking=booking, notes=spec["notes"], written_by=worker)
