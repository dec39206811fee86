"""Factories for parent schools: parent schools, classes, head teachers, parents who joined,
street workstation staff."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.roles import Role
from participation.models import Child, ParentProfile, ParentSchool, SchoolClass
from schools.models import StreetTown
from tests.factories.accounts import UserFactory
from tests.factories.schools import SchoolFactory
from workstations.models import Workstation, WorkstationMembership


class ParentSchoolFactory(DjangoModelFactory):
    school = factory.SubFactory(SchoolFactory)
    name = factory.LazyAttribute(lambda o: f"{o.school.name}家长学校")

    class Meta:
        model = ParentSchool


class SchoolClassFactory(DjangoModelFactory):
    parent_school = factory.SubFactory(ParentSchoolFactory)
    grade = 7
    name = factory.Sequence(lambda n: f"{n + 1}班")
    head_teacher = factory.LazyFunction(lambda: UserFactory(role=Role.HEAD_TEACHER))

    class Meta:
        model = SchoolClass


def member_of(school_class: SchoolClass, parent=None, *, street: StreetTown | None = None):
    """A parent (made unless given) who joined ``school_class`` with consent."""
    from django.utils import timezone

    parent = parent or UserFactory(role=Role.PARENT)
    ParentProfile.objects.update_or_create(parent=parent, defaults={"consented_at": timezone.now(), "street": street})
    Child.objects.create(
        parent=parent,
        school=school_class.parent_school.school,
        grade=school_class.grade,
        school_class=school_class,
        joined_at=timezone.now(),
    )
    return parent


def street(code: str = "xujiahui", name: str = "徐家汇街道") -> StreetTown:
    return StreetTown.objects.get_or_create(code=code, defaults={"name": name})[0]


def street_staff(code: str = "xujiahui", *, role: Role = Role.CHILD_DIRECTOR):
    """A child director (or supervisor) of the workstation of street ``code``."""
    workstation, _created = Workstation.objects.get_or_create(
        name=f"{code}未保工作站",
        defaults={
            "street": code,
            "address": "演示路 1 号",
            "latitude": Decimal("31.18"),
            "longitude": Decimal("121.44"),
        },
    )
    user = UserFactory(role=role)
    WorkstationMembership.objects.create(user=user, workstation=workstation, role=role.value)
    return user


def resident(code: str = "xujiahui", **user_fields):
    """A parent whose profile (with consent) names street ``code`` as where they live."""
    from django.utils import timezone

    parent = UserFactory(role=Role.PARENT, **user_fields)
    ParentProfile.objects.create(parent=parent, consented_at=timezone.now(), street=street(code, f"{code}街道"))
    return parent


def street_event(code: str = "xujiahui", *, starts_in=None, capacity: int = 10, **fields):
    """An event of street ``code``'s workstation, ``starts_in`` from now (default: in two days at 10:00)."""
    import datetime

    from django.utils import timezone

    from workstations.models import StreetEvent

    workstation = Workstation.objects.get_or_create(
        name=f"{code}未保工作站",
        defaults={
            "street": code,
            "address": "演示路 1 号",
            "latitude": Decimal("31.18"),
            "longitude": Decimal("121.44"),
        },
    )[0]
    if starts_in is None:
        # Two days ahead at 10:00, so that the event never runs past midnight (the staff's form
        # has one date for the start and the end).
        day = timezone.localdate() + datetime.timedelta(days=2)
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    else:
        starts_at = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    values = {
        "title": "亲子沟通沙龙",
        "place": "社区活动室",
        "ends_at": starts_at + datetime.timedelta(hours=2),
        "signup_deadline": starts_at,
        "audience": StreetEvent.Audience.STREET,
    }
    values.update(fields)
    return StreetEvent.objects.create(workstation=workstation, starts_at=starts_at, capacity=capacity, **values)
