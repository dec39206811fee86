"""The second factor is asked of *this session* (allauth's authentication records), not only
of the user, for case pages and the whole Wagtail admin."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

from accounts.roles import Role
from tests.factories.accounts import PASSWORD, TOTP_SECRET, UserFactory, add_totp, sign_in_fully

from .conftest import totp_code

pytestmark = pytest.mark.django_db

CASES = "/schools/cases/"
ADMIN = "/admin/"
MFA_ROLES = [Role.SCHOOL_OFFICER, Role.DISTRICT_STAFF]


def reauthenticate_url(next_url: str) -> str:
    return f"{reverse('mfa_reauthenticate')}?next={quote(next_url, safe='')}"


def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="root", email="root@district.example", password=PASSWORD)


@pytest.mark.parametrize(
    ("role", "path"),
    [(Role.SCHOOL_OFFICER, CASES), (Role.DISTRICT_STAFF, CASES), (Role.DISTRICT_STAFF, ADMIN)],
)
def test_a_session_made_without_the_second_factor_is_sent_to_enter_the_code(client, role, path):
    user = UserFactory(role=role)
    add_totp(user)
    client.force_login(user)  # a session allauth's sign-in did not make

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == reauthenticate_url(path)


def test_officers_are_not_admin_users_and_the_admin_refuses_them_itself(client):
    officer = UserFactory(role=Role.SCHOOL_OFFICER)
    sign_in_fully(client, officer)

    assert client.get(ADMIN)["Location"].startswith(reverse("account_login"))


def test_a_superuser_session_without_the_second_factor_is_sent_to_enter_the_code(client, django_user_model):
    root = superuser(django_user_model)
    add_totp(root)
    client.force_login(root)

    assert client.get(ADMIN)["Location"] == reauthenticate_url(ADMIN)
    assert client.get(CASES)["Location"] == reauthenticate_url(CASES)


def test_staff_and_superusers_without_an_authenticator_are_sent_to_set_one_up(client, django_user_model):
    root = superuser(django_user_model)
    district = UserFactory(role=Role.DISTRICT_STAFF)
    cells = [
        (district, CASES),
        (district, ADMIN),
        (UserFactory(role=Role.SCHOOL_OFFICER), CASES),
        (root, CASES),
        (root, ADMIN),
    ]
    for user, path in cells:
        client.force_login(user)
        response = client.get(path)
        assert response["Location"] == f"{reverse('accounts:mfa_required')}?next={quote(path, safe='')}"


def test_the_password_step_alone_does_not_open_the_admin_or_the_cases(client):
    staff = UserFactory(role=Role.DISTRICT_STAFF, email="staff@district.example")
    add_totp(staff)
    client.force_login(staff)
    session = client.session
    from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY

    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": 1.0, "email": staff.email}]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(staff.pk)
    session.save()

    assert client.get(ADMIN)["Location"] == reauthenticate_url(ADMIN)
    assert client.get(CASES)["Location"] == reauthenticate_url(CASES)


def test_a_second_factor_recorded_for_another_user_does_not_count(client):
    """allauth ties the records to the user they were made for."""
    other = UserFactory(role=Role.DISTRICT_STAFF)
    sign_in_fully(client, other)
    records = client.session[AUTHENTICATION_METHODS_SESSION_KEY]
    staff = UserFactory(role=Role.DISTRICT_STAFF)
    add_totp(staff)
    client.force_login(staff)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()

    assert client.get(ADMIN)["Location"] == reauthenticate_url(ADMIN)


@pytest.mark.parametrize("role", MFA_ROLES)
def test_allauths_full_sign_in_with_the_authenticator_code_opens_the_admin_and_cases(client, role):
    user = UserFactory(role=role, email="staff@district.example")
    add_totp(user)

    response = client.post(reverse("account_login"), {"login": "staff@district.example", "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(CASES).status_code == 302

    client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})

    assert client.get(CASES).status_code == 200
    if role == Role.DISTRICT_STAFF:
        assert client.get(ADMIN).status_code == 200


def test_entering_the_code_on_the_reauthentication_page_lets_the_session_in(client):
    staff = UserFactory(role=Role.DISTRICT_STAFF)
    add_totp(staff)
    client.force_login(staff)
    assert client.get(ADMIN).status_code == 302

    response = client.post(reauthenticate_url(ADMIN), {"code": totp_code(TOTP_SECRET)})

    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    assert client.get(CASES).status_code == 200


def test_a_wrong_code_on_the_reauthentication_page_keeps_the_session_out(client):
    staff = UserFactory(role=Role.DISTRICT_STAFF)
    add_totp(staff)
    client.force_login(staff)

    client.post(reauthenticate_url(ADMIN), {"code": "000000" if totp_code(TOTP_SECRET) != "000000" else "111111"})

    assert client.get(ADMIN).status_code == 302


@pytest.mark.parametrize("role", [Role.TEACHER, Role.EDITOR])
def test_teachers_and_editors_without_an_authenticator_work_in_the_admin(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get(ADMIN).status_code == 200
    assert client.get(CASES).status_code == 403


@pytest.mark.parametrize("role", [Role.TEACHER, Role.EDITOR])
def test_teachers_and_editors_who_switched_it_on_must_have_passed_it(client, role):
    user = UserFactory(role=role)
    add_totp(user)
    client.force_login(user)

    assert client.get(ADMIN)["Location"] == reauthenticate_url(ADMIN)

    sign_in_fully(client, user)
    assert client.get(ADMIN).status_code == 200


def test_signing_out_of_the_admin_always_works(client):
    staff = UserFactory(role=Role.DISTRICT_STAFF)
    add_totp(staff)
    client.force_login(staff)

    client.post(reverse("wagtailadmin_logout"))

    assert "_auth_user_id" not in client.session


def test_sign_in_fully_is_what_the_shared_test_helper_does(client):
    staff = UserFactory(role=Role.DISTRICT_STAFF)

    sign_in_fully(client, staff)

    assert client.get(ADMIN).status_code == 200
    assert client.get(CASES).status_code == 200
