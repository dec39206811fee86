"""Factories for schools and bullying cases: schools, memberships, complete draft reports."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.roles import Role
from schools import services
from schools.models import BullyingReport, InvolvedStudent, School, SchoolMembership, StreetTown
from tests.factories.accounts import UserFactory, add_totp


class StreetTownFactory(DjangoModelFactory):
    code = factory.Sequence(lambda n: f"street-{n}")
    name = factory.Sequence(lambda n: f"测试街道{n}")

    class Meta:
        model = StreetTown
        django_get_or_create = ("code",)


class SchoolFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"演示学校{n}")
    street_town = factory.SubFactory(StreetTownFactory)
    level = School.Level.JUNIOR_SECONDARY
    address = "演示路 1 号"

    class Meta:
        model = School


def officer_of(school: School, *, mfa: bool = True, role: str = SchoolMembership.Role.OFFICER):
    """A school officer of ``school`` (with an authenticator app unless ``mfa=False``)."""
    user = UserFactory(role=Role.SCHOOL_OFFICER)
    SchoolMembership.objects.create(user=user, school=school, role=role)
    if mfa:
        add_totp(user)
    return user


def district_staff(*, mfa: bool = True, lead: bool = False):
    user = UserFactory(role=Role.DISTRICT_STAFF)
    if mfa:
        add_totp(user)
    if lead:
        from accounts.roles import add_role

        add_role(user, Role.DISTRICT_LEAD)  # the "District leads" group (schools migration 0007)
    return user


class BullyingReportFactory(DjangoModelFactory):
    """A complete draft (ready to submit): a general, one-off verbal incident with one target."""

    school = factory.SubFactory(SchoolFactory)
    incident_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=1))
    place = "classroom"
    bullying_types = factory.LazyFunction(lambda: ["verbal"])
    narrative = "课间有同学多次嘲笑他的口音。"
    frequency = "once"
    injury = "none"
    severity = "general"
    guardians_notified = False
    immediate_measures = "班主任已与双方谈话。"

    class Meta:
        model = BullyingReport
        skip_postgeneration_save = True

    @factory.post_generation
    def students(self, create, extracted, **kwargs):
        if create and extracted is not False:
            InvolvedStudent.objects.create(report=self, role="target", grade="七年级", class_name="2班", name="小明")
            InvolvedStudent.objects.create(report=self, role="initiator", grade="七年级", class_name="2班")


def submitted_case(officer=None, **fields) -> BullyingReport:
    """A submitted case filed by ``officer`` (an officer of its school by default)."""
    report = BullyingReportFactory(**fields)
    officer = officer or officer_of(report.school)
    report.created_by = officer
    report.save()
    return services.submit(report, by=officer).report
