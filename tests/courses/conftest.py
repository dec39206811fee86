"""Fixtures for the course library: the catalogue, parents, a course with lessons, and Chromium
for the browser journeys (``page``, ``signed_in_parent``)."""

from __future__ import annotations

from django.test import Client

import pytest

from accounts.roles import Role
from tests.e2e.conftest import browser, page  # noqa: F401 - the one shared Chromium for journeys
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import catalogue as make_catalogue
from tests.factories.courses import course_with_lessons


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Test images and renditions go to a temporary folder, not the repository's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def catalogue(db):
    return make_catalogue()


@pytest.fixture
def parent(db):
    return UserFactory(role=Role.PARENT)


@pytest.fixture
def other_parent(db):
    return UserFactory(role=Role.PARENT)


@pytest.fixture
def course(catalogue):
    return course_with_lessons(2)


@pytest.fixture
def parent_client(client, parent):
    sign_in_fully(client, parent)
    return client


@pytest.fixture
def signed_in_parent(page, live_server):
    parent = UserFactory(role=Role.PARENT, name="王妈妈")
    client = Client()
    sign_in_fully(client, parent)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return parent
