"""Demo guidance plans (issue 14): a closed case whose plan was completed and reported, an open case
plan half done (the demo parent's, so 「我的指导计划」 has content), and a court order in progress.

Idempotent: nothing is created when a demo plan exists already. Needs the demo cases
(``create_demo_schools_and_cases``) and courses first.
"""

from __future__ import annotations

import datetime
import json
import uuid
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ..sources import (
    AppointmentSlot,
    Booking,
    BullyingReport,
    CoursePage,
    Court,
    CourtLiaison,
    Enrolment,
    GuidancePlan,
    Role,
    SessionRecord,
    StationService,
    User,
    Workstation,
    add_role,
)
from ..sources import guidance_services as services
from .schools import DEMO_NAMESPACE
from .users import DEMO_USERS, ensure_demo_user

DATA = json.loads((Path(__file__).resolve().parent.parent / "data" / "guidance.json").read_text(encoding="utf-8"))
CLOSED_CASE, HANDLING_CASE = 6, 5  # indexes of the demo cases in demo/data/schools.json


def _user(spec: dict, with_demo_users: bool) -> tuple[User, dict | None]:
    if with_demo_users:
        row = ensure_demo_user(spec)
        return User.objects.get(username=row["username"]), row
    user, created = User.objects.get_or_create(
        username=f"demo-{spec['slug']}", defaults={"name": spec["name"], "phone": spec["phone"], "phone_verified": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    add_role(user, Role(spec["role"]))
    return user, None


def _guardian_account(spec: dict) -> User:
    user, created = User.objects.get_or_create(
        username=f"demo-guardian-{spec['phone'][-2:]}",
        defaults={"name": spec["name"], "phone": spec["phone"], "phone_verified": True},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _session(parent: User, *, days_ago: int, status: str, note: str, worker: User) -> None:
    station = Workstation.objects.filter(kind=Workstation.Kind.GUIDANCE_STATION).order_by("sort_order", "pk").first()
    if station is None:
        return
    # A guidance service (not counselling): the booking is linked to the plan when it is written.
    service = StationService.objects.get_or_create(slug="family-education", defaults={"name": "家庭教育指导"})[0]
    station.services.add(service)
    starts = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0) - datetime.timedelta(days=days_ago)
    slot, _created = AppointmentSlot.objects.get_or_create(
        station=station,
        service=service,
        starts_at=starts,
        defaults={"ends_at": starts + datetime.timedelta(hours=1), "capacity": 4, "created_by": worker},
    )
    booking = Booking.objects.create(
        slot=slot, parent=parent, status=status, booked_at=starts - datetime.timedelta(days=3),
        attendance_marked_at=starts + datetime.timedelta(hours=1), marked_by=worker,
    )  # fmt: skip
    if status == Booking.Status.ATTENDED:
        SessionRecord.objects.create(booking=booking, notes=note, written_by=worker)


def _complete(parent: User, course: CoursePage, *, days_ago: int) -> None:
    Enrolment.objects.filter(parent=parent, course=course).update(
        completed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def create_demo_guidance(*, with_demo_users: bool = False) -> dict:
    """Creates the demo plans once; returns counts and the demo users' rows (for printing)."""
    rows = []
    worker = User.objects.filter(groups__name=Role.GUIDANCE_WORKER.group_name, username__startswith="demo-").first()
    if worker is None:  # demo/data/users.json's guidance worker, also the appointments demo's
        worker, _row = _user(next(spec for spec in DEMO_USERS if spec["role"] == Role.GUIDANCE_WORKER), False)
    liaison, row = _user(DATA["users"][0], with_demo_users)
    rows.append(row)
    court, _created = Court.objects.get_or_create(name=DATA["court"])
    CourtLiaison.objects.get_or_create(user=liaison, defaults={"court": court})
    result = {"plans": GuidancePlan.objects.count(), "users": [row for row in rows if row]}
    if GuidancePlan.objects.exists():
        return result
    district = User.objects.filter(username__in=["demo-district", "demo-case-district"]).order_by("username").first()
    cases = {
        index: BullyingReport.objects.filter(draft_token=uuid.uuid5(DEMO_NAMESPACE, f"case-{index}")).first()
        for index in (CLOSED_CASE, HANDLING_CASE)
    }
    courses = list(CoursePage.objects.live().order_by("path")[:2])
    if district is None or not courses or None in cases.values():
        return result
    with transaction.atomic():
        _create(district, worker, court, cases, courses)
    result["plans"] = GuidancePlan.objects.count()
    return result


def _create(district: User, worker: User, court: Court, cases: dict, courses: list[CoursePage]) -> None:
    today = timezone.localdate()
    guardians = DATA["guardians"]
    notes = DATA["session_notes"]

    # 1. The closed case: a plan completed a week ago, its report issued.
    parent = _guardian_account(guardians["closed_case"])
    plan = services.create_plan(
        by=district,
        case=cases[CLOSED_CASE],
        worker=worker,
        courses=courses[:1],
        course_deadline=today - datetime.timedelta(days=10),
        required_sessions=2,
        starts_on=today - datetime.timedelta(days=45),
        ends_on=today - datetime.timedelta(days=5),
        review_on=today - datetime.timedelta(days=20),
        guardians=[services.Guardian(**guardians["closed_case"])],
    )
    _complete(parent, courses[0], days_ago=20)
    _session(parent, days_ago=30, status=Booking.Status.ATTENDED, note=notes[0], worker=worker)
    _session(parent, days_ago=12, status=Booking.Status.ATTENDED, note=notes[1], worker=worker)
    services.sync(plan)
    plan.assessment = DATA["assessment"]
    plan.save(update_fields=["assessment"])
    services.issue_report(plan, by=district)

    # 2. The case in handling: the demo parent (if any) has done one course and one of two sessions;
    # the other guardian has a link waiting.
    demo_parent = User.objects.filter(username="demo-parent").first()
    linked = [services.Guardian(name=demo_parent.name, phone=demo_parent.phone or "")] if demo_parent else []
    plan = services.create_plan(
        by=district,
        case=cases[HANDLING_CASE],
        worker=worker,
        courses=courses,
        course_deadline=today + datetime.timedelta(days=20),
        required_sessions=2,
        starts_on=today - datetime.timedelta(days=15),
        ends_on=today + datetime.timedelta(days=45),
        review_on=today + datetime.timedelta(days=10),
        guardians=[*linked, services.Guardian(**guardians["open_case_unlinked"])],
    )
    if demo_parent is not None:
        _complete(demo_parent, courses[0], days_ago=3)
        _session(demo_parent, days_ago=7, status=Booking.Status.ATTENDED, note=notes[0], worker=worker)
    services.sync(plan)

    # 3. A court order in progress: the guardian has an account, one session attended.
    order_parent = _guardian_account(guardians["order"])
    plan = services.register_order(
        by=district,
        court=court,
        order_number=DATA["order"]["order_number"],
        issued_on=today - datetime.timedelta(days=25),
        required_content=DATA["order"]["required_content"],
        required_hours=DATA["order"]["required_hours"],
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=70),
        guardians=[services.Guardian(**guardians["order"])],
        worker=worker,
        courses=courses,
    )
    _session(order_parent, days_ago=6, status=Booking.Status.ATTENDED, note=notes[0], worker=worker)
    _session(order_parent, days_ago=2, status=Booking.Status.NO_SHOW, note="", worker=worker)
    services.sync(plan)
