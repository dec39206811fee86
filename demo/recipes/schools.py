"""Demo content for cases (``data/schools.json``): the 13 streets/towns, a few made-up schools,
a case in every state.

``create_demo_schools_and_cases()`` is idempotent: schools and streets are looked up before
they are created, and demo cases are recognised by their fixed form tokens. Every school,
address and story is invented and marked as demo data. The demo officer (``demo-officer``,
see ``users``) is made officer of the first school when that user exists. Cases move through
the workflow's own services, step by step, and are then spread over the past weeks.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from ..builder import load
from ..sources import (
    BullyingReport,
    CaseEvent,
    InvolvedStudent,
    Role,
    School,
    SchoolMembership,
    State,
    StreetTown,
    User,
    add_role,
    case_services,
)

SCHOOLS = load("schools.json")
# One demo case per state; the namespace keeps their form tokens stable between runs.
DEMO_NAMESPACE = uuid.UUID(SCHOOLS["case_namespace"])
STEPS = [
    State.SUBMITTED,
    State.ACKNOWLEDGED,
    State.INVESTIGATING,
    State.DETERMINED,
    State.HANDLING,
    State.CLOSED,
    State.REVIEW_REQUESTED,
]
STAMPS: dict[str, str] = {
    State.SUBMITTED: "submitted_at",
    State.ACKNOWLEDGED: "acknowledged_at",
    State.INVESTIGATING: "investigation_started_at",
    State.DETERMINED: "determined_at",
    State.HANDLING: "handling_started_at",
    State.CLOSED: "closed_at",
}


def _demo_user(username: str, role: Role, name: str):
    user, created = User.objects.get_or_create(
        username=username, defaults={"name": name, "email": f"{username}@demo.huiai.invalid"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    add_role(user, role)
    return user


@transaction.atomic
def create_demo_schools_and_cases() -> dict:
    """Creates (or finds) the demo streets, schools and cases; returns counts."""
    streets = {}
    for order, spec in enumerate(SCHOOLS["street_towns"]):
        streets[spec["code"]], _created = StreetTown.objects.update_or_create(
            code=spec["code"], defaults={"name": spec["name"], "sort_order": order}
        )
    schools = []
    for number, spec in enumerate(SCHOOLS["schools"], start=1):
        school, _created = School.objects.get_or_create(
            name=spec["name"],
            defaults={
                "street_town": streets[spec["street_town"]],
                "level": spec["level"],
                "address": f"徐汇区示例路 {number * 11} 号（示例地址）",
            },
        )
        schools.append(school)

    school = schools[0]
    officer = User.objects.filter(username="demo-officer").first() or _demo_user(
        "demo-case-officer", Role.SCHOOL_OFFICER, "示例学校防欺凌负责人"
    )
    SchoolMembership.objects.get_or_create(user=officer, school=school, defaults={"role": "officer"})
    district = User.objects.filter(username="demo-district").first() or _demo_user(
        "demo-case-district", Role.DISTRICT_STAFF, "示例区未保中心工作人员"
    )

    created = 0
    for index, spec in enumerate(SCHOOLS["cases"]):
        token = uuid.uuid5(DEMO_NAMESPACE, f"case-{index}")
        if BullyingReport.objects.filter(draft_token=token).exists():
            continue
        report = _create_case(token, State(spec["state"]), spec["facts"], school, officer, district)
        if report.state != State.DRAFT:
            _spread_over_time(report, index)
        created += 1
    return {"street_towns": len(streets), "schools": len(schools), "cases_created": created}


def _create_case(token, state, facts, school, officer, district) -> BullyingReport:
    now = timezone.now()
    defaults = {
        "incident_date": timezone.localdate() - datetime.timedelta(days=3),
        "incident_time": datetime.time(10, 20),
        "place": "playground",
        "bullying_types": ["verbal", "relational"],
        "frequency": "once",
        "injury": "none",
        "guardians_notified": True,
        "guardians_notified_at": now - datetime.timedelta(days=2),
        "immediate_measures": "（示例）班主任当场制止，分别谈话，并通知家长。",
    }
    report = BullyingReport.objects.create(
        draft_token=token, school=school, created_by=officer, **{**defaults, **facts}
    )
    InvolvedStudent.objects.create(report=report, role="target", grade="六年级", class_name="2班")
    InvolvedStudent.objects.create(report=report, role="initiator", grade="六年级", class_name="4班")
    if state == State.DRAFT:
        return report
    for step in STEPS[: STEPS.index(state) + 1]:
        report = _take_step(report, step, state, officer, district)
    return report


def _take_step(report: BullyingReport, step: State, state: State, officer, district) -> BullyingReport:
    services = case_services
    if step == State.SUBMITTED:
        return services.submit(report, by=officer).report
    if step == State.ACKNOWLEDGED:
        return services.acknowledge(report, by=district, reason="（示例）已收到，请学校开展调查。")
    if step == State.INVESTIGATING:
        return services.start_investigation(report, by=officer)
    if step == State.DETERMINED:
        return services.determine(
            report,
            by=officer,
            determination="play_fighting" if state == State.DETERMINED else "bullying",
            committee_roles=["principal", "class_teacher", "psychologist", "parent"],
            reason="（示例）学生欺凌治理委员会会议认定。",
        )
    if step == State.HANDLING:
        return services.start_handling(report, by=officer, measures=["education", "counselling", "family_education"])
    if step == State.CLOSED:
        return services.close(report, by=officer, reason="（示例）各项措施已落实，回访无异常。")
    return services.request_review(report, by=officer, reason="（示例）家长申请复查。")


def _spread_over_time(report: BullyingReport, index: int) -> None:
    """Moves a demo case's dates into the past, a week apart, so the dashboard has months,
    durations and overdue steps to show (the workflow itself stamped everything "now")."""
    submitted = timezone.now() - datetime.timedelta(days=5 + index * 7, hours=index)
    steps = {
        "submitted_at": submitted,
        "acknowledged_at": submitted + datetime.timedelta(hours=4 + index * 3),
    }
    steps["investigation_started_at"] = steps["acknowledged_at"] + datetime.timedelta(days=1)
    steps["determined_at"] = steps["investigation_started_at"] + datetime.timedelta(days=3 + index)
    steps["handling_started_at"] = steps["determined_at"] + datetime.timedelta(days=1)
    steps["closed_at"] = steps["handling_started_at"] + datetime.timedelta(days=5)
    stamps = {name: value for name, value in steps.items() if getattr(report, name) is not None}
    stamps["acknowledge_due_at"] = case_services.acknowledge_due(submitted)
    if "investigation_started_at" in stamps:
        stamps["determination_due_at"] = case_services.determination_due(stamps["investigation_started_at"])
    BullyingReport.objects.filter(pk=report.pk).update(**stamps)
    for event in CaseEvent.objects.filter(report=report):
        moment = stamps.get(STAMPS.get(event.to_state, ""), stamps.get("acknowledged_at", submitted))
        if event.to_state == State.REVIEW_REQUESTED:
            moment = stamps["closed_at"] + datetime.timedelta(days=2)
        CaseEvent.objects.filter(pk=event.pk).update(created_at=moment)
