"""Demo content for cases: the 13 streets/towns, a few made-up schools, a case in every state.

``create_demo_schools_and_cases()`` is idempotent: schools and streets are looked up before
they are created, and demo cases are recognised by their fixed form tokens. Every school,
address and story is invented and marked as demo data. The demo officer (``demo-officer``
from ``accounts.demo``) is made officer of the first school when that user exists.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role, add_role

from . import services
from .models import BullyingReport, InvolvedStudent, School, SchoolMembership, State, StreetTown

# (code, name): the same codes as the workstation directory's Street choices.
STREET_TOWNS = [
    ("tianpinglu", "天平路街道"),
    ("hunanlu", "湖南路街道"),
    ("xietulu", "斜土路街道"),
    ("fenglinlu", "枫林路街道"),
    ("changqiao", "长桥街道"),
    ("tianlin", "田林街道"),
    ("hongmeilu", "虹梅路街道"),
    ("kangjianxincun", "康健新村街道"),
    ("xujiahui", "徐家汇街道"),
    ("lingyunlu", "凌云路街道"),
    ("longhua", "龙华街道"),
    ("caohejing", "漕河泾街道"),
    ("huajing", "华泾镇"),
]
SCHOOLS = [
    ("汇爱示例实验小学", "xujiahui", School.Level.PRIMARY),
    ("汇爱示例初级中学", "tianlin", School.Level.JUNIOR_SECONDARY),
    ("汇爱示例九年一贯制学校", "changqiao", School.Level.NINE_YEAR),
    ("汇爱示例高级中学", "longhua", School.Level.SENIOR_SECONDARY),
    ("汇爱示例幼儿园", "huajing", School.Level.KINDERGARTEN),
]
# One demo case per state; the namespace keeps their form tokens stable between runs.
DEMO_NAMESPACE = uuid.UUID("6f1d8a52-1c1e-4d0b-9a55-8a1e3c2f0d01")
DEMO_CASES = [
    (State.DRAFT, {"severity": "general", "narrative": "（示例）课间有同学给他起侮辱性绰号，尚在整理材料。"}),
    (State.SUBMITTED, {"severity": "general", "narrative": "（示例）班级群里有人多次发布嘲笑某同学的图片。"}),
    (
        State.ACKNOWLEDGED,
        {"severity": "serious", "frequency": "several", "narrative": "（示例）几名同学连续数日不让她参加小组活动。"},
    ),
    (
        State.INVESTIGATING,
        {
            "severity": "severe",
            "injury": "minor",
            "police_informed": False,
            "narrative": "（示例）放学路上被高年级学生推倒并索要零花钱。",
        },
    ),
    (State.DETERMINED, {"severity": "general", "narrative": "（示例）体育课上推搡，双方均称是玩闹。"}),
    (State.HANDLING, {"severity": "serious", "narrative": "（示例）宿舍内物品多次被藏起、损坏。"}),
    (State.CLOSED, {"severity": "general", "narrative": "（示例）走廊里言语辱骂，已调解。"}),
    (State.REVIEW_REQUESTED, {"severity": "general", "narrative": "（示例）家长对处理结果有异议，申请复查。"}),
]
STEPS = [
    State.SUBMITTED,
    State.ACKNOWLEDGED,
    State.INVESTIGATING,
    State.DETERMINED,
    State.HANDLING,
    State.CLOSED,
    State.REVIEW_REQUESTED,
]


def _demo_user(username: str, role: Role, name: str):
    user, created = get_user_model().objects.get_or_create(
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
    for order, (code, name) in enumerate(STREET_TOWNS):
        streets[code], _created = StreetTown.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    schools = []
    for number, (name, street, level) in enumerate(SCHOOLS, start=1):
        school, _created = School.objects.get_or_create(
            name=name,
            defaults={
                "street_town": streets[street],
                "level": level,
                "address": f"徐汇区示例路 {number * 11} 号（示例地址）",
            },
        )
        schools.append(school)

    school = schools[0]
    officer = get_user_model().objects.filter(username="demo-officer").first() or _demo_user(
        "demo-case-officer", Role.SCHOOL_OFFICER, "示例学校防欺凌负责人"
    )
    SchoolMembership.objects.get_or_create(user=officer, school=school, defaults={"role": "officer"})
    district = get_user_model().objects.filter(username="demo-district").first() or _demo_user(
        "demo-case-district", Role.DISTRICT_STAFF, "示例区未保中心工作人员"
    )

    created = 0
    for index, (state, facts) in enumerate(DEMO_CASES):
        token = uuid.uuid5(DEMO_NAMESPACE, f"case-{index}")
        if BullyingReport.objects.filter(draft_token=token).exists():
            continue
        report = _create_case(token, state, facts, school, officer, district)
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
        if step == State.SUBMITTED:
            report = services.submit(report, by=officer).report
        elif step == State.ACKNOWLEDGED:
            report = services.acknowledge(report, by=district, reason="（示例）已收到，请学校开展调查。")
        elif step == State.INVESTIGATING:
            report = services.start_investigation(report, by=officer)
        elif step == State.DETERMINED:
            determination = "play_fighting" if state == State.DETERMINED else "bullying"
            report = services.determine(
                report,
                by=officer,
                determination=determination,
                committee_roles=["principal", "class_teacher", "psychologist", "parent"],
                reason="（示例）学生欺凌治理委员会会议认定。",
            )
        elif step == State.HANDLING:
            report = services.start_handling(
                report, by=officer, measures=["education", "counselling", "family_education"]
            )
        elif step == State.CLOSED:
            report = services.close(report, by=officer, reason="（示例）各项措施已落实，回访无异常。")
        elif step == State.REVIEW_REQUESTED:
            report = services.request_review(report, by=officer, reason="（示例）家长申请复查。")
    return report


STAMPS = {
    State.SUBMITTED: "submitted_at",
    State.ACKNOWLEDGED: "acknowledged_at",
    State.INVESTIGATING: "investigation_started_at",
    State.DETERMINED: "determined_at",
    State.HANDLING: "handling_started_at",
    State.CLOSED: "closed_at",
}


def _spread_over_time(report: BullyingReport, index: int) -> None:
    """Moves a demo case's dates into the past, a week apart, so the dashboard has months,
    durations and overdue steps to show (the workflow itself stamped everything "now")."""
    from .models import CaseEvent

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
    stamps["acknowledge_due_at"] = services.acknowledge_due(submitted)
    if "investigation_started_at" in stamps:
        stamps["determination_due_at"] = services.determination_due(stamps["investigation_started_at"])
    BullyingReport.objects.filter(pk=report.pk).update(**stamps)
    for event in CaseEvent.objects.filter(report=report):
        moment = stamps.get(STAMPS.get(event.to_state, ""), stamps.get("acknowledged_at", submitted))
        if event.to_state == State.REVIEW_REQUESTED:
            moment = stamps["closed_at"] + datetime.timedelta(days=2)
        CaseEvent.objects.filter(pk=event.pk).update(created_at=moment)
