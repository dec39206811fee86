"""Parent schools for the demo (``data/participation.json``): every demo school gets a parent
school with two classes, six made-up parents per class living in several streets, with staged
progress (joined only, enrolled, started, completed over the last ten months; one certificate per
class), a grade-7 assignment with a deadline, the demo head teacher on a class and the demo child
director and supervisor on 徐家汇's workstation.

Idempotent: parents are found by their demo username, classes by school, grade and name, and
nothing that exists is changed. Demo parents cannot sign in (no usable password); their names
and ``+86 138 0001 xxxx`` numbers are made up.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from ..builder import load
from ..sources import (
    Child,
    CoursePage,
    Enrolment,
    GroupAssignment,
    LessonPage,
    LessonProgress,
    ParentProfile,
    ParentSchool,
    Role,
    School,
    SchoolClass,
    StreetTown,
    User,
    Workstation,
    WorkstationMembership,
    add_role,
    course_services,
    issue_certificate,
    participation_rollups,
    participation_services,
)

DATA = load("participation.json")


def _parent(spec: dict) -> User:
    username = f"demo-p-{spec['phone'][-4:]}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, name=spec["name"], phone=spec["phone"], phone_verified=True)
        user.set_unusable_password()
        user.save()
        add_role(user, Role.PARENT)
    return user


def _progress(parent: User, course: CoursePage, stage: str, *, certify: bool = False) -> None:
    """``certify``: the completion's certificate is issued (the PDF drawn) as the worker would."""
    if stage == "joined" or Enrolment.objects.filter(parent=parent, course=course).exists():
        return
    enrolment = course_services.enrol(parent, course)
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    if stage in ("started", "completed") and lessons:
        for lesson in lessons if stage == "completed" else lessons[:1]:
            LessonProgress.objects.get_or_create(
                parent=parent, lesson=lesson, defaults={"completed_at": timezone.now()}
            )
    if stage == "completed":
        # Spread over the last ten months, the first today, so the trend and "this month" show something.
        earlier = Enrolment.objects.filter(course=course, completed_at__isnull=False).count()
        enrolment.completed_at = timezone.now() - datetime.timedelta(days=(earlier * 11) % 300)
        enrolment.save(update_fields=["completed_at"])
        if certify:
            issue_certificate(enrolment)


@transaction.atomic
def create_demo_participation() -> dict:
    """Returns counts of what exists afterwards."""
    courses = list(CoursePage.objects.live().order_by("path"))
    if not courses:
        return {"classes": 0, "parents": 0}
    streets = {street.code: street for street in StreetTown.objects.all()}
    head_teacher = User.objects.filter(username="demo-head-teacher").first()
    parents = 0
    for spec in DATA["classes"]:
        school = School.objects.filter(name=spec["school"]).first()
        if school is None:
            continue
        parent_school, _created = ParentSchool.objects.get_or_create(
            school=school, defaults={"name": f"{school.name}家长学校"}
        )
        school_class, _created = SchoolClass.objects.get_or_create(
            parent_school=parent_school,
            grade=spec["grade"],
            name=spec["name"],
            defaults={"head_teacher": head_teacher if spec["head_teacher"] else None},
        )
        certified = False  # one certificate per class: the dashboards' "certified" shows something
        for member in spec["parents"]:
            parent = _parent(member)
            ParentProfile.objects.get_or_create(
                parent=parent, defaults={"street": streets.get(member["street"]), "consented_at": timezone.now()}
            )
            Child.objects.get_or_create(
                parent=parent,
                school_class=school_class,
                defaults={"school": school, "grade": school_class.grade, "joined_at": timezone.now()},
            )
            certify = not certified and member["progress"] == "completed"
            _progress(parent, courses[0], member["progress"], certify=certify)
            certified = certified or certify
            parents += 1
    _assign_demo_grade(courses)
    for staff in DATA["workstation_staff"]:
        user = User.objects.filter(username=staff["username"]).first()
        workstation = Workstation.objects.filter(street=staff["street"], kind="workstation").first()
        if user is not None and workstation is not None:
            WorkstationMembership.objects.get_or_create(
                user=user, workstation=workstation, defaults={"role": staff["role"]}
            )
    participation_rollups.refresh()  # the dashboards show the demo at once, not after beat's next run
    return {"classes": SchoolClass.objects.count(), "parents": parents}


def _assign_demo_grade(courses: list[CoursePage]) -> None:
    spec = DATA["assignment"]
    parent_school = ParentSchool.objects.filter(school__name=spec["school"]).first()
    district = User.objects.filter(groups__name=Role.DISTRICT_STAFF.group_name).order_by("pk").first()
    course = courses[min(spec["course_index"], len(courses) - 1)]
    if parent_school is None or district is None:
        return
    if GroupAssignment.objects.filter(parent_school=parent_school, grade=spec["grade"], course=course).exists():
        return
    participation_services.assign_to_group(
        course=course,
        deadline=timezone.localdate() + datetime.timedelta(days=spec["days"]),
        assigned_by=district,
        parent_school=parent_school,
        grade=spec["grade"],
    )
