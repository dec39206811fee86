"""Exactly one way to sign in: allauth's. Every other login view only sends visitors there.

Wagtail's admin login (``/admin/login/``) and its front-end login (``/_util/login/``) used to
sign an officer in with the password alone, without the second factor or a rate limit.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth import views as django_auth_views
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

import pytest

from accounts import views as account_views
from accounts.roles import Role
from tests.factories.accounts import PASSWORD, UserFactory, add_totp, sign_in_fully

pytestmark = pytest.mark.django_db

OTHER_LOGIN_PATHS = ["/admin/login/", "/_util/login/"]


def login_view_paths() -> set[str]:
    """Every URL the resolver maps to a Django ``LoginView`` (Wagtail's included), as a path."""
    found: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern).lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "view_class", None)
                if isinstance(view_class, type) and issubclass(view_class, django_auth_views.LoginView):
                    found.add("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_other_login_view_in_the_resolver_is_shadowed_by_the_redirect():
    paths = login_view_paths()

    assert set(OTHER_LOGIN_PATHS) <= paths
    for path in paths:
        assert resolve(path).func is account_views.sign_in_with_allauth, path


@pytest.mark.parametrize("path", OTHER_LOGIN_PATHS)
def test_get_is_sent_to_allauths_sign_in_keeping_a_safe_next(client, path):
    response = client.get(path, {"next": "/admin/pages/"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote('/admin/pages/', safe='')}"


@pytest.mark.parametrize("path", OTHER_LOGIN_PATHS)
def test_a_next_on_another_site_is_dropped(client, path):
    response = client.get(path, {"next": "https://evil.example/phish"})

    assert response["Location"] == reverse("account_login")


@pytest.mark.parametrize("path", OTHER_LOGIN_PATHS)
@pytest.mark.parametrize("role", [Role.DISTRICT_STAFF, Role.SCHOOL_OFFICER, Role.TEACHER])
def test_posting_the_right_password_signs_nobody_in(client, path, role):
    user = UserFactory(role=role, email="staff@district.example")
    add_totp(user)

    for login_field in ({"username": user.username}, {"username": user.email}, {"email": user.email}):
        response = client.post(path, {**login_field, "password": PASSWORD, "next": "/admin/"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("schools:case_list"))["Location"].startswith(reverse("account_login"))


def test_a_superuser_password_posted_to_wagtails_login_signs_nobody_in(client, django_user_model):
    django_user_model.objects.create_superuser(username="root", email="root@district.example", password=PASSWORD)

    client.post("/admin/login/", {"username": "root", "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_wagtails_password_reset_is_not_a_second_door(client):
    UserFactory(role=Role.DISTRICT_STAFF, email="staff@district.example")

    assert client.get("/admin/password_reset/").status_code == 404
    assert client.post("/admin/password_reset/", {"email": "staff@district.example"}).status_code == 404


def test_wagtails_account_page_offers_no_password_change(client):
    """Passwords change through allauth (rate limited, notified), not Wagtail's panel."""
    teacher = UserFactory(role=Role.TEACHER)
    sign_in_fully(client, teacher)

    response = client.get(reverse("wagtailadmin_account"))

    assert response.status_code == 200
    assert "password-old_password" not in response.content.decode()
    teacher.refresh_from_db()
    client.post(
        reverse("wagtailadmin_account"),
        {
            "password-old_password": PASSWORD,
            "password-new_password1": "Zx9!long-new",
            "password-new_password2": "Zx9!long-new",
        },
    )
    teacher.refresh_from_db()
    assert teacher.check_password(PASSWORD)


def test_wagtails_logout_signs_out(client):
    teacher = UserFactory(role=Role.TEACHER)
    sign_in_fully(client, teacher)

    client.post(reverse("wagtailadmin_logout"))

    assert "_auth_user_id" not in client.session
