"""Street events for the demo (``data/participation.json``, ``street_events``): two coming up in
two streets (徐家汇's for its residents, 田林's open to everyone) with a few demo parents of the
street signed up, and one 徐家汇 event held two weeks ago with attendance marked, so the child
director's list and the street dashboard show something.

Idempotent: events are found by workstation and title; sign-ups by event and parent.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from ..builder import load
from ..sources import EventSignup, ParentProfile, StreetEvent, User, Workstation

DATA = load("participation.json")["street_events"]


def create_demo_street_events() -> dict:
    """Returns counts of what exists afterwards."""
    director = User.objects.filter(username="demo-child-director").first()
    runs = set(director.workstation_memberships.values_list("workstation_id", flat=True)) if director else set()
    for spec in DATA["events"]:
        workstation = Workstation.objects.filter(street=spec["street"], kind=Workstation.Kind.WORKSTATION).first()
        if workstation is None:
            continue
        day = timezone.localdate() + datetime.timedelta(days=spec["days"])
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(spec["hour"])))
        event, _created = StreetEvent.objects.get_or_create(
            workstation=workstation,
            title=spec["title"],
            defaults={
                "description": spec["description"],
                "place": spec["place"],
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(hours=spec["hours"]),
                "signup_deadline": starts_at - datetime.timedelta(hours=12),
                "capacity": spec["capacity"],
                "audience": spec["audience"],
                "created_by": director if workstation.pk in runs else None,
            },
        )
        residents = ParentProfile.objects.filter(street__code=spec["street"]).order_by("parent_id")
        for number, profile in enumerate(residents[: spec["signups"]]):
            status = EventSignup.Status.SIGNED_UP
            if "attended" in spec:
                status = EventSignup.Status.ATTENDED if number < spec["attended"] else EventSignup.Status.NO_SHOW
            EventSignup.objects.get_or_create(
                event=event,
                parent_id=profile.parent_id,
                defaults={
                    "status": status,
                    "signed_up_at": starts_at - datetime.timedelta(days=3),
                    # Demo parents get no message: past and future reminders count as sent.
                    "reminder_queued_at": timezone.now(),
                },
            )
    return {"events": StreetEvent.objects.count(), "signups": EventSignup.objects.count()}
