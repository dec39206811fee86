"""Fixtures for bullying cases: two schools, their officers, district staff, empty outboxes."""

from __future__ import annotations

import pytest

from accounts import sms
from accounts.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.schools import SchoolFactory, district_staff, officer_of


@pytest.fixture(autouse=True)
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the (locmem) cache: start every test with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
