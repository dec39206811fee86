"""Roles as groups: who reaches the Wagtail admin, and what district staff may do with pages."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.test import RequestFactory

from wagtail.models import GroupPagePermission, Page

import pytest

from accounts import roles
from accounts.adapter import SocialAccountAdapter
from accounts.models import User
from accounts.roles import Role
from tests.factories.accounts import UserFactory, sign_in_fully

pytestmark = pytest.mark.django_db


def test_migration_creates_one_group_per_role():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.group_name for role in Role}


@pytest.mark.parametrize("role", [Role.TEACHER, Role.DISTRICT_STAFF, Role.EDITOR])
def test_admin_roles_reach_the_wagtail_dashboard(client, role):
    sign_in_fully(client, UserFactory(role=role))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "wagtailadmin/home.html" in [template.name for template in response.templates]


@pytest.mark.parametrize("role", [Role.PARENT, Role.SCHOOL_OFFICER])
def test_roles_without_admin_work_do_not_get_the_dashboard(client, role):
    sign_in_fully(client, UserFactory(role=role))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "wagtailadmin/home.html" not in [template.name for template in response.templates]


def test_anonymous_visitor_to_the_admin_is_sent_to_the_site_sign_in_page(client):
    response = client.get("/admin/")

    assert response["Location"].startswith("/accounts/login/")


def test_district_staff_may_add_change_and_publish_pages_anywhere_in_the_tree():
    root = Page.objects.get(depth=1)

    codenames = set(
        GroupPagePermission.objects.filter(group__name="District staff", page=root).values_list(
            "permission__codename", flat=True
        )
    )

    assert codenames == {"add_page", "change_page", "publish_page"}


def test_district_staff_can_publish_the_home_page():
    staff = UserFactory(role=Role.DISTRICT_STAFF)
    home = Page.objects.get(depth=2)

    permissions = home.permissions_for_user(staff)

    assert permissions.can_edit()
    assert permissions.can_publish()


def test_teacher_cannot_publish_the_home_page():
    teacher = UserFactory(role=Role.TEACHER)
    home = Page.objects.get(depth=2)

    assert not home.permissions_for_user(teacher).can_publish()


def test_only_officers_district_staff_guidance_workers_and_superusers_require_mfa():
    assert {role for role in Role if roles.requires_mfa(UserFactory(role=role))} == {
        Role.SCHOOL_OFFICER,
        Role.DISTRICT_STAFF,
        Role.DISTRICT_LEAD,  # reads the audit log: who saw which child's case
        Role.GUIDANCE_WORKER,  # names parents and writes session records of case families
        Role.COURT_LIAISON,  # follows court-ordered families' plans and reports
    }


def test_only_those_who_handle_cases_enter_the_case_area():
    assert {role for role in Role if roles.sees_case_data(UserFactory(role=role))} == {
        Role.SCHOOL_OFFICER,
        Role.DISTRICT_STAFF,
        Role.DISTRICT_LEAD,
    }


def test_roles_of_an_anonymous_user_is_empty():
    from django.contrib.auth.models import AnonymousUser

    assert roles.roles_of(AnonymousUser()) == frozenset()
    assert not roles.can_access_admin(AnonymousUser())


def test_adding_a_role_is_seen_at_once_on_the_same_user_object():
    user = UserFactory(role=Role.PARENT)
    assert roles.roles_of(user) == {Role.PARENT}

    roles.add_role(user, Role.TEACHER)

    assert roles.roles_of(user) == {Role.PARENT, Role.TEACHER}


def test_removing_a_role_takes_away_admin_access():
    user = UserFactory(role=Role.TEACHER)

    roles.remove_role(user, Role.TEACHER)

    assert not roles.can_access_admin(user)


def test_inactive_teacher_cannot_access_the_admin():
    assert not roles.can_access_admin(UserFactory(role=Role.TEACHER, is_active=False))


def test_wechat_sign_up_joins_parents():
    from allauth.socialaccount.models import SocialAccount, SocialLogin

    request = RequestFactory().get("/")
    request.session = {}
    user = User(name="微信用户")
    sociallogin = SocialLogin(user=user, account=SocialAccount(provider="weixin", uid="o6_bmjrPTlm6_2sgVt7hMZOPfL2M"))

    saved = SocialAccountAdapter().save_user(request, sociallogin)

    assert roles.roles_of(User.objects.get(pk=saved.pk)) == {Role.PARENT}
    assert SocialAccount.objects.get(user=saved).provider == "weixin"


def test_a_user_without_a_name_is_shown_by_masked_phone_not_the_generated_username(db):
    from accounts.models import User

    user = User.objects.create_user(username="user-3f9a2c", phone="+8613912345678")

    assert str(user) == "139****5678"
