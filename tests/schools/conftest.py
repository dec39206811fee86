"""Fixtures for bullying cases: two schools, their officers, district staff, empty outboxes."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.schools import SchoolFactory, district_staff, officer_of
from tests.isolation import empty_cache, sms_outbox  # noqa: F401 - autouse fixtures for every test here


@pytest.fixture(autouse=True)
def attachment_root(settings, tmp_path):
    settings.SCHOOLS_ATTACHMENT_ROOT = tmp_path / "attachments"
    return settings.SCHOOLS_ATTACHMENT_ROOT


@pytest.fixture
def school_a(db):
    return SchoolFactory(name="徐汇演示中学A")


@pytest.fixture
def school_b(db):
    return SchoolFactory(name="徐汇演示中学B")


@pytest.fixture
def officer_a(school_a):
    return officer_of(school_a)


@pytest.fixture
def officer_b(school_b):
    return officer_of(school_b)


@pytest.fixture
def district(db):
    return district_staff()


@pytest.fixture
def lead(db):
    return district_staff(lead=True)


@pytest.fixture
def parent(db):
    return UserFactory(role=Role.PARENT)


@pytest.fixture
def teacher(db):
    return UserFactory(role=Role.TEACHER)
