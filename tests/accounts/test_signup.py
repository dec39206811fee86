"""Sign-up with the Django test client, through allauth's real views and the project adapter."""

from __future__ import annotations

from django.urls import reverse

import pytest

from accounts.adapter import INVALID_PHONE_MESSAGE
from accounts.models import User
from accounts.roles import Role, roles_of

from .conftest import code_in, in_chinese

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-family-password"


def sign_up(client, **fields):
    data = {"phone": "13800000000", "password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"} | fields
    return client.post(reverse("account_signup"), data)


def test_phone_sign_up_sends_code_by_sms_and_verifying_it_signs_in_a_parent(client, sms_outbox):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    assert [message.to for message in sms_outbox] == ["+8613800000000"]

    response = client.post(reverse("account_verify_phone"), {"code": code_in(sms_outbox[0].body)})

    assert response.status_code == 302
    user = User.objects.get(phone="+8613800000000")
    assert user.phone_verified
    assert roles_of(user) == {Role.PARENT}
    assert int(client.session["_auth_user_id"]) == user.pk


def test_phone_sign_up_is_not_signed_in_before_the_sms_code_is_entered(client, sms_outbox):
    sign_up(client)

    assert "_auth_user_id" not in client.session
    assert User.objects.get(phone="+8613800000000").phone_verified is False


def test_phone_sign_up_with_a_wrong_code_stays_on_the_code_page(client, sms_outbox):
    sign_up(client)
    wrong = "000000" if code_in(sms_outbox[0].body) != "000000" else "111111"

    response = client.post(reverse("account_verify_phone"), {"code": wrong})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "typed",
    ["13800000000", "138 0000 0000", "138-0000-0000", "+86 138 0000 0000", "008613800000000", "１３８００００００００"],
)
def test_mainland_numbers_typed_in_everyday_ways_are_stored_as_e164(client, typed):
    sign_up(client, phone=typed)

    assert User.objects.filter(phone="+8613800000000").exists()


@pytest.mark.parametrize("typed", ["12345", "1380000000", "23800000000", "138000000001", "手机号码"])
def test_a_bad_phone_number_gets_a_message_a_parent_understands(client, typed):
    response = sign_up(client, phone=typed)

    assert response.status_code == 200
    assert not User.objects.exists()
    errors = response.context["form"].errors["phone"]
    assert errors == [in_chinese(INVALID_PHONE_MESSAGE)]


def test_a_bad_phone_number_error_is_tied_to_the_field_for_screen_readers(client):
    response = sign_up(client, phone="12345")

    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_phone_error"' in html or 'aria-describedby="id_phone_helptext id_phone_error"' in html
    assert 'id="id_phone_error"' in html


def test_sign_up_with_a_number_that_already_has_an_account_creates_no_second_account(client, sms_outbox):
    User.objects.create_user(username="existing", phone="+8613800000000", phone_verified=True)

    sign_up(client)

    assert User.objects.filter(phone="+8613800000000").count() == 1


def test_sign_up_with_an_email_sends_a_verification_mail_after_the_phone_is_verified(client, sms_outbox, mailoutbox):
    sign_up(client, email="Teacher@School.example")
    client.post(reverse("account_verify_phone"), {"code": code_in(sms_outbox[0].body)})

    user = User.objects.get(phone="+8613800000000")
    assert user.email == "teacher@school.example"
    assert roles_of(user) == {Role.PARENT}
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["teacher@school.example"]
    assert mailoutbox[0].subject.startswith("【汇爱】")
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_following_the_verification_link_marks_the_email_verified(client, sms_outbox, mailoutbox):
    from allauth.account.models import EmailAddress

    sign_up(client, email="teacher@school.example")
    client.post(reverse("account_verify_phone"), {"code": code_in(sms_outbox[0].body)})
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/confirm-email/" in line).strip()
    path = link[link.index("/accounts/confirm-email/") :]

    client.post(path)

    assert EmailAddress.objects.get(email="teacher@school.example").verified


def test_signed_up_users_get_distinct_usernames_that_do_not_reveal_the_phone(client, sms_outbox):
    sign_up(client, phone="13800000001")
    client.logout()
    sign_up(client, phone="13800000002")

    usernames = set(User.objects.values_list("username", flat=True))
    assert len(usernames) == 2
    assert not any("138" in name for name in usernames)


def test_sign_up_sms_states_how_long_the_code_is_valid(client, sms_outbox, settings, monkeypatch):
    monkeypatch.setattr("accounts.adapter.six_digit_code", lambda: "000000")
    settings.ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 15 * 60

    sign_up(client, phone="13800000000")

    assert "15" in sms_outbox[0].body
