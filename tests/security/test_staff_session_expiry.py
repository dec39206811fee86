"""Staff sessions end after an idle period and after a maximum age (clock moved, no sleeps)."""

from __future__ import annotations

import time
from urllib.parse import quote

from django.urls import reverse

import pytest

from accounts.roles import Role
from tests.factories.accounts import UserFactory, sign_in_fully

pytestmark = pytest.mark.django_db

CASES = "/schools/cases/"
IDLE_MESSAGE = "您已连续 30 分钟未操作，已自动退出登录。请重新登录。"
MAX_AGE_MESSAGE = "您登录已超过 12 小时，已自动退出登录。请重新登录。"


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock (``time.time``) that the test moves forward by hand."""

    class Clock:
        now = time.time()

        def advance(self, seconds: float) -> None:
            self.now += seconds

    frozen = Clock()
    monkeypatch.setattr(time, "time", lambda: frozen.now)
    return frozen


def test_defaults(settings):
    assert settings.STAFF_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.STAFF_SESSION_MAX_AGE_SECONDS == 12 * 60 * 60


def test_an_idle_district_session_ends_and_the_sign_in_page_says_why(client, clock):
    sign_in_fully(client, UserFactory(role=Role.DISTRICT_STAFF))
    assert client.get(CASES).status_code == 200

    clock.advance(30 * 60 + 1)
    response = client.get(CASES)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(CASES, safe='/')}"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert IDLE_MESSAGE in page.content.decode()


def test_activity_keeps_a_staff_session_alive_until_the_maximum_age(client, clock):
    sign_in_fully(client, UserFactory(role=Role.SCHOOL_OFFICER))
    for _step in range(12 * 3 - 1):  # every 20 minutes, for just under 12 hours
        clock.advance(20 * 60)
        assert client.get(CASES).status_code == 200

    clock.advance(20 * 60)
    response = client.get(CASES)

    assert response["Location"].startswith(reverse("account_login"))
    assert MAX_AGE_MESSAGE in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.EDITOR, Role.DISTRICT_STAFF, Role.SCHOOL_OFFICER])
def test_every_staff_role_is_signed_out_after_the_idle_period(client, clock, role):
    sign_in_fully(client, UserFactory(role=role))
    client.get("/")

    clock.advance(31 * 60)
    client.get("/")

    assert "_auth_user_id" not in client.session


def test_superusers_are_staff_too(client, clock, django_user_model):
    sign_in_fully(client, django_user_model.objects.create_superuser("root", "root@district.example", "pw-123456"))
    clock.advance(31 * 60)

    assert client.get("/admin/")["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_parents_keep_their_long_session(client, clock):
    client.force_login(UserFactory(role=Role.PARENT))

    clock.advance(13 * 60 * 60)
    client.get("/")

    assert "_auth_user_id" in client.session


def test_the_limits_are_settings(client, clock, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 5 * 60
    sign_in_fully(client, UserFactory(role=Role.DISTRICT_STAFF))

    clock.advance(4 * 60)
    assert client.get(CASES).status_code == 200
    clock.advance(5 * 60 + 1)
    assert client.get(CASES).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_staff_session_with_no_sign_in_time_is_ended(client):
    sign_in_fully(client, UserFactory(role=Role.DISTRICT_STAFF))
    session = client.session
    del session["huiai_signed_in_at"]
    del session["huiai_last_seen_at"]
    session.save()

    assert client.get(CASES)["Location"].startswith(reverse("account_login"))


def test_a_post_after_expiry_changes_nothing_and_is_sent_to_sign_in(client, clock):
    sign_in_fully(client, UserFactory(role=Role.DISTRICT_STAFF))
    clock.advance(31 * 60)

    response = client.post(reverse("schools:invite_officer"), {"phone": "13800000000"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
