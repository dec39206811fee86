"""Staff get their Wagtail profile row when they sign in, so the first page they open writes nothing.

Wagtail creates a ``UserProfile`` the first time it renders its user bar or admin for someone
(``UserProfile.get_for_user``). Before ``accounts.signals`` that meant the first page a member of
staff opened — even the site's 404 page refusing them — wrote a row.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.users.models import UserProfile

import pytest

from accounts.roles import Role
from tests.factories.accounts import UserFactory, sign_in_fully

pytestmark = pytest.mark.django_db

STAFF_ROLES = [Role.TEACHER, Role.DISTRICT_STAFF, Role.EDITOR]


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_signing_in_makes_the_profile_of_someone_who_may_use_the_admin(client, role):
    user = UserFactory(role=role)
    assert not UserProfile.objects.filter(user=user).exists()
    sign_in_fully(client, user)
    assert UserProfile.objects.filter(user=user).count() == 1
    # A second sign-in keeps the one row.
    client.logout()
    sign_in_fully(client, user)
    assert UserProfile.objects.filter(user=user).count() == 1


def test_a_parent_gets_no_admin_profile(client):
    parent = UserFactory(role=Role.PARENT)
    sign_in_fully(client, parent)
    client.get("/")
    assert not UserProfile.objects.filter(user=parent).exists()


@pytest.mark.parametrize("path", ["/this-page-does-not-exist/", "/"])
def test_the_first_page_an_editor_opens_writes_no_profile(client, path):
    editor = UserFactory(role=Role.EDITOR)
    sign_in_fully(client, editor)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    assert not [sql for sql in _writes(queries) if "wagtailusers_userprofile" in sql]
