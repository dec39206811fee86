"""Fixtures for guidance plans: a case handler, district staff, a worker, a course, stored reports."""

from __future__ import annotations

import datetime

from django.utils import timezone

import pytest

from schools.models import SchoolMembership
from tests.factories.courses import course_with_lessons
from tests.factories.guidance import court, court_liaison, determined_case, guidance_worker
from tests.factories.schools import SchoolFactory, district_staff, officer_of
from tests.isolation import empty_cache, sms_outbox  # noqa: F401 - autouse fixtures for every test here


@pytest.fixture(autouse=True)
def report_root(settings, tmp_path):
    settings.GUIDANCE_REPORT_ROOT = tmp_path / "guidance-reports"
    settings.SCHOOLS_ATTACHMENT_ROOT = tmp_path / "attachments"
    return settings.GUIDANCE_REPORT_ROOT


@pytest.fixture
def school(db):
    return SchoolFactory(name="徐汇演示中学A")


@pytest.fixture
def handler(school):
    return officer_of(school, role=SchoolMembership.Role.OFFICER)


@pytest.fixture
def district(db):
    return district_staff()


@pytest.fixture
def worker(db):
    return guidance_worker()


@pytest.fixture
def case(handler, school):
    return determined_case(handler=handler, officer=handler, school=school)


@pytest.fixture
def course(db):
    return course_with_lessons(1, title="如何与孩子沟通")


@pytest.fixture
def the_court(db):
    return court()


@pytest.fixture
def liaison(the_court):
    return court_liaison(the_court)


@pytest.fixture
def dates():
    today = timezone.localdate()
    return {
        "course_deadline": today + datetime.timedelta(days=30),
        "ends_on": today + datetime.timedelta(days=60),
        "review_on": today + datetime.timedelta(days=30),
    }
