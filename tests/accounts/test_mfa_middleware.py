"""``sensitive_area`` views: who gets in, who is sent to set up MFA, who is refused."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

import pytest

from accounts.models import User
from accounts.roles import Role
from tests.factories.accounts import PASSWORD, TOTP_SECRET, UserFactory, add_totp, sign_in_fully

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.sensitive_urls")]


def test_anonymous_visitor_is_sent_to_sign_in_and_back(client):
    response = client.get("/reports/?school=3")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote('/reports/?school=3', safe='/')}"


@pytest.mark.parametrize("role", [Role.PARENT, Role.TEACHER, Role.EDITOR])
def test_roles_without_business_with_reports_are_refused(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get("/reports/").status_code == 403


@pytest.mark.parametrize("role", [Role.SCHOOL_OFFICER, Role.DISTRICT_STAFF])
def test_officer_and_district_staff_without_mfa_are_sent_to_the_mfa_required_page(client, role):
    client.force_login(UserFactory(role=role))

    response = client.get("/reports/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:mfa_required')}?next=%2Freports%2F"


def test_mfa_required_page_links_to_the_authenticator_app_setup(client):
    client.force_login(UserFactory(role=Role.DISTRICT_STAFF))

    response = client.get(reverse("accounts:mfa_required"), {"next": "/reports/"})

    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.content.decode()


def test_mfa_required_page_ignores_a_next_url_on_another_site(client):
    client.force_login(UserFactory(role=Role.DISTRICT_STAFF))

    response = client.get(reverse("accounts:mfa_required"), {"next": "https://evil.example/"})

    assert response.context["next_url"] == ""


@pytest.mark.parametrize("role", [Role.SCHOOL_OFFICER, Role.DISTRICT_STAFF])
def test_owning_an_authenticator_app_is_not_enough_the_session_must_have_passed_it(client, role):
    user = UserFactory(role=role)
    add_totp(user)
    client.force_login(user)

    response = client.get("/reports/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Freports%2F"


@pytest.mark.parametrize("role", [Role.SCHOOL_OFFICER, Role.DISTRICT_STAFF])
def test_officer_and_district_staff_with_an_authenticator_app_get_in(client, role):
    user = UserFactory(role=role)
    add_totp(user)
    sign_in_fully(client, user)  # the session passed the second factor

    response = client.get("/reports/")

    assert response.status_code == 200
    assert response.content == b"bullying reports"


def test_superuser_without_mfa_is_sent_to_set_it_up(client):
    client.force_login(User.objects.create_superuser(username="root", email="root@district.example", password="x"))

    assert client.get("/reports/")["Location"].startswith(reverse("accounts:mfa_required"))


def test_class_based_views_are_protected_like_function_views(client):
    client.force_login(UserFactory(role=Role.SCHOOL_OFFICER))

    response = client.get("/reports/7/")

    assert response["Location"].startswith(reverse("accounts:mfa_required"))


def test_unmarked_views_are_left_alone(client):
    client.force_login(UserFactory(role=Role.DISTRICT_STAFF))

    assert client.get("/public/").status_code == 200


def test_staff_with_mfa_must_enter_the_authenticator_code_at_sign_in_then_gets_in(client):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    staff = UserFactory(email="staff@district.example", role=Role.DISTRICT_STAFF)
    add_totp(staff)

    response = client.post(reverse("account_login"), {"login": "staff@district.example", "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/reports/").status_code == 302

    counter = list(yield_hotp_counters_from_time())[len(list(yield_hotp_counters_from_time())) // 2]
    client.post(reverse("mfa_authenticate"), {"code": format_hotp_value(hotp_value(TOTP_SECRET, counter))})

    assert client.get("/reports/").status_code == 200
