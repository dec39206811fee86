"""Signing in by SMS code, by password (phone or e-mail), password reset and signing out."""

from __future__ import annotations

import re

from django.urls import reverse

import pytest

from accounts.adapter import INVALID_PHONE_MESSAGE
from accounts.models import User
from accounts.roles import Role
from tests.factories.accounts import PASSWORD, UserFactory, sign_in_fully

from .conftest import code_in, in_chinese

pytestmark = pytest.mark.django_db


def signed_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_login_by_sms_code_with_a_number_typed_without_country_code(client, sms_outbox):
    parent = UserFactory(phone="+8613800000000")

    response = client.post(reverse("account_request_login_code"), {"phone": "13800000000"})
    assert response.status_code == 302
    assert [message.to for message in sms_outbox] == ["+8613800000000"]

    response = client.post(reverse("account_confirm_login_code"), {"code": code_in(sms_outbox[0].body)})

    assert response.status_code == 302
    assert signed_in_user_id(client) == parent.pk


def test_login_by_sms_code_with_a_wrong_code_does_not_sign_in(client, sms_outbox):
    UserFactory(phone="+8613800000000")
    client.post(reverse("account_request_login_code"), {"phone": "13800000000"})
    wrong = "000000" if code_in(sms_outbox[0].body) != "000000" else "111111"

    client.post(reverse("account_confirm_login_code"), {"code": wrong})

    assert signed_in_user_id(client) is None


def test_login_code_request_for_an_unknown_number_texts_that_there_is_no_account(client, sms_outbox):
    """allauth prevents account enumeration: the page looks the same, the SMS tells the truth."""
    response = client.post(reverse("account_request_login_code"), {"phone": "13800000009"})

    assert response.status_code == 302
    assert [message.to for message in sms_outbox] == ["+8613800000009"]
    assert not re.search(r"\d{6}", sms_outbox[0].body), "an unknown number must get no code"


def test_login_code_request_with_a_bad_number_explains_the_expected_format(client, sms_outbox):
    response = client.post(reverse("account_request_login_code"), {"phone": "12345"})

    assert response.context["form"].errors["phone"] == [in_chinese(INVALID_PHONE_MESSAGE)]


def test_login_by_email_code_sends_the_code_by_mail(client, mailoutbox):
    teacher = UserFactory(email="teacher@school.example", role=Role.TEACHER)

    client.post(reverse("account_request_login_code"), {"email": "teacher@school.example"})
    client.post(reverse("account_confirm_login_code"), {"code": code_in(mailoutbox[0].body)})

    assert signed_in_user_id(client) == teacher.pk


def test_login_by_password_with_a_phone_number_typed_without_country_code(client):
    parent = UserFactory(phone="+8613800000000")

    response = client.post(reverse("account_login"), {"login": "13800000000", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_user_id(client) == parent.pk


def test_login_by_password_with_an_email_address(client):
    teacher = UserFactory(email="teacher@school.example", role=Role.TEACHER)

    response = client.post(reverse("account_login"), {"login": "Teacher@School.example", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_user_id(client) == teacher.pk


def test_login_with_a_wrong_password_is_refused(client):
    UserFactory(phone="+8613800000000")

    response = client.post(reverse("account_login"), {"login": "13800000000", "password": "wrong-password"})

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert response.context["form"].non_field_errors()


def test_staff_account_without_a_phone_can_sign_in_by_email(client):
    """Accounts made in the Wagtail admin may have no phone; allauth would refuse them."""
    staff = UserFactory(phone=None, email="staff@district.example", role=Role.DISTRICT_STAFF)

    response = client.post(reverse("account_login"), {"login": "staff@district.example", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_user_id(client) == staff.pk


def test_superuser_created_on_the_command_line_can_sign_in(client):
    admin = User.objects.create_superuser(username="admin", email="admin@district.example", password=PASSWORD)

    client.post(reverse("account_login"), {"login": "admin@district.example", "password": PASSWORD})

    assert signed_in_user_id(client) == admin.pk


def test_user_with_an_unverified_phone_must_verify_it_at_sign_in(client, sms_outbox):
    UserFactory(phone="+8613800000000", phone_verified=False)

    response = client.post(reverse("account_login"), {"login": "13800000000", "password": PASSWORD})

    assert response["Location"] == reverse("account_verify_phone")
    assert signed_in_user_id(client) is None
    assert len(sms_outbox) == 1


def test_parent_lands_on_the_home_page_after_sign_in(client):
    UserFactory(phone="+8613800000000")

    response = client.post(reverse("account_login"), {"login": "13800000000", "password": PASSWORD})

    assert response["Location"] == "/"


def test_teacher_lands_in_the_admin_after_sign_in(client):
    UserFactory(email="teacher@school.example", role=Role.TEACHER)

    response = client.post(reverse("account_login"), {"login": "teacher@school.example", "password": PASSWORD})

    assert response["Location"] == "/admin/"


def test_sign_in_returns_to_the_page_asked_for(client):
    UserFactory(email="teacher@school.example", role=Role.TEACHER)

    response = client.post(
        reverse("account_login"), {"login": "teacher@school.example", "password": PASSWORD, "next": "/courses/"}
    )

    assert response["Location"] == "/courses/"


def test_password_reset_mails_a_link_that_sets_a_new_password(client, mailoutbox):
    user = UserFactory(email="parent@family.example")

    client.post(reverse("account_reset_password"), {"email": "parent@family.example"})

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["parent@family.example"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/password/reset/key/" in line).strip()
    path = link[link.index("/accounts/password/reset/key/") :]
    response = client.get(path)
    new_password = "a-brand-new-password"
    client.post(response["Location"], {"password1": new_password, "password2": new_password})
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_for_an_unknown_address_sends_no_link(client, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "nobody@family.example"})

    assert all("/accounts/password/reset/key/" not in message.body for message in mailoutbox)


def test_logout_signs_the_user_out(client):
    user = UserFactory()
    sign_in_fully(client, user)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_account_mail_greets_in_chinese_and_names_the_site_huiai(client, mailoutbox, settings):
    UserFactory(email="parent@family.example")

    client.post(reverse("account_reset_password"), {"email": "parent@family.example"})

    greeting = mailoutbox[0].body.splitlines()[0]
    assert settings.WAGTAIL_SITE_NAME in greeting
    assert "testserver" not in greeting
    assert "Hello from" not in greeting


def test_sign_in_sms_states_the_shorter_validity_of_sign_in_codes(client, sms_outbox, settings, monkeypatch):
    monkeypatch.setattr("accounts.adapter.six_digit_code", lambda: "000000")
    settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 3 * 60
    UserFactory(phone="+8613800000000")

    client.post(reverse("account_request_login_code"), {"phone": "13800000000"})

    body = sms_outbox[0].body
    assert "3" in body
    assert "15" not in body
