"""Fixtures for parent schools: a class of school A with its head teacher, a second class."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from tests.e2e.conftest import browser, page  # noqa: F401 - the one shared Chromium for journeys
from tests.factories.accounts import UserFactory
from tests.factories.courses import catalogue as make_catalogue
from tests.factories.courses import course_with_lessons
from tests.factories.participation import SchoolClassFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CERTIFICATE_ROOT = tmp_path / "certificates"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def school_class(db):
    return SchoolClassFactory()


@pytest.fixture
def head_teacher(school_class):
    return school_class.head_teacher


@pytest.fixture
def parent(db):
    return UserFactory(role=Role.PARENT)


@pytest.fixture
def catalogue(db):
    return make_catalogue()


@pytest.fixture
def course(catalogue):
    return course_with_lessons(2, title="防范校园欺凌")


@pytest.fixture(autouse=True)
def english_messages():
    """Service tests match the English msgids of the messages (zh-hans is the site's default)."""
    from django.utils import translation

    with translation.override("en"):
        yield
