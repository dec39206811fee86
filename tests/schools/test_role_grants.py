"""Every way a staff role or a school membership is granted in the Wagtail admin is audited,
and only superusers grant or take away staff roles there.

Paths: school staff (memberships) add/edit/delete, user create/edit (groups), the "assign role"
bulk action, and a group's permissions. The invitation page is covered by test_invite.py.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest

from accounts.models import User
from accounts.roles import Role, has_role
from schools.models import AuditLog, SchoolMembership
from tests.factories.accounts import UserFactory, add_totp, sign_in_fully
from tests.factories.schools import district_staff, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    user = UserFactory(role=False, is_superuser=True, is_staff=True)
    add_totp(user)
    return user


def _fresh(user):
    return User.objects.get(pk=user.pk)


def _form_data(response) -> dict:
    """The admin form's current values, as the browser would post them back."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[name] = "on" if value is True else str(value)
    data["first_name"] = data.get("first_name") or "测试"  # Wagtail's form requires both names
    data["last_name"] = data.get("last_name") or "用户"
    return data


def _refused(response) -> bool:
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def _group(role: Role) -> Group:
    return Group.objects.get(name=role.group_name)


# --- School staff (memberships) in the admin ------------------------------------------------------


def test_changing_a_membership_in_the_admin_changes_only_the_role_and_is_audited(client, school_a, school_b):
    district = district_staff()
    officer = officer_of(school_a)
    intruder = UserFactory(role=Role.PARENT)
    membership = SchoolMembership.objects.get(user=officer)
    sign_in_fully(client, district)

    response = client.post(
        reverse("schools_staff:edit", args=[membership.pk]),
        {"role": "principal", "user": intruder.pk, "school": school_b.pk},
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.user, membership.school, membership.role) == (officer, school_a, "principal")
    entry = AuditLog.objects.get(action=AuditLog.Action.MEMBERSHIP_CHANGE)
    assert entry.actor == district
    assert entry.detail == {
        "membership": membership.pk,
        "person": officer.pk,
        "school": school_a.pk,
        "role_before": "officer",
        "role": "principal",
    }


def test_removing_a_membership_in_the_admin_ends_the_role_and_is_audited(client, school_a):
    district = district_staff()
    officer = officer_of(school_a)
    membership = SchoolMembership.objects.get(user=officer)
    sign_in_fully(client, district)

    response = client.post(reverse("schools_staff:delete", args=[membership.pk]))

    assert response.status_code == 302
    assert not SchoolMembership.objects.filter(pk=membership.pk).exists()
    assert not has_role(_fresh(officer), Role.SCHOOL_OFFICER)
    removed = AuditLog.objects.get(action=AuditLog.Action.MEMBERSHIP_REMOVE)
    assert removed.actor == district and removed.detail["person"] == officer.pk
    revoked = AuditLog.objects.get(action=AuditLog.Action.ROLE_REVOKE, detail__person=officer.pk)
    assert revoked.actor == district and revoked.detail["roles"] == [Role.SCHOOL_OFFICER.group_name]


def test_an_officer_of_two_schools_keeps_the_role_when_one_membership_ends(client, school_a, school_b):
    officer = officer_of(school_a)
    SchoolMembership.objects.create(user=officer, school=school_b)
    sign_in_fully(client, district_staff())

    client.post(reverse("schools_staff:delete", args=[SchoolMembership.objects.get(user=officer, school=school_a).pk]))

    assert has_role(_fresh(officer), Role.SCHOOL_OFFICER)
    assert list(SchoolMembership.objects.filter(user=officer).values_list("school", flat=True)) == [school_b.pk]


# --- Roles (groups) in /admin/users/ and /admin/groups/ -------------------------------------------


def test_a_superuser_granting_a_role_in_the_user_editor_is_audited(client, superuser):
    person = UserFactory(role=Role.PARENT)
    sign_in_fully(client, superuser)
    edit = reverse("wagtailusers_users:edit", args=[person.pk])
    data = _form_data(client.get(edit))
    data["groups"] = [*data.get("groups", []), str(_group(Role.DISTRICT_STAFF).pk)]

    response = client.post(edit, data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert has_role(_fresh(person), Role.DISTRICT_STAFF)
    entry = AuditLog.objects.get(action=AuditLog.Action.ROLE_GRANT, detail__person=person.pk)
    assert entry.actor == superuser and entry.detail["roles"] == [Role.DISTRICT_STAFF.group_name]

    data["groups"] = [str(_group(Role.PARENT).pk)]
    client.post(edit, data)

    assert not has_role(_fresh(person), Role.DISTRICT_STAFF)
    revoked = AuditLog.objects.get(action=AuditLog.Action.ROLE_REVOKE, detail__person=person.pk)
    assert revoked.actor == superuser and revoked.detail["roles"] == [Role.DISTRICT_STAFF.group_name]


def test_a_district_lead_is_made_in_the_user_editor_by_a_superuser(client, superuser):
    person = district_staff()
    sign_in_fully(client, superuser)
    edit = reverse("wagtailusers_users:edit", args=[person.pk])
    data = _form_data(client.get(edit))
    data["groups"] = [*data.get("groups", []), str(_group(Role.DISTRICT_LEAD).pk)]

    client.post(edit, data)

    person = _fresh(person)
    assert has_role(person, Role.DISTRICT_LEAD) and person.has_perm("schools.view_auditlog")
    assert AuditLog.objects.filter(action=AuditLog.Action.ROLE_GRANT, actor=superuser).exists()


def test_someone_with_the_change_user_permission_but_not_superuser_cannot_grant_roles(client, superuser):
    helper = district_staff()
    helper.user_permissions.add(Permission.objects.get(codename="change_user", content_type__app_label="accounts"))
    person = UserFactory(role=Role.PARENT)
    sign_in_fully(client, superuser)
    data = _form_data(client.get(reverse("wagtailusers_users:edit", args=[person.pk])))
    sign_in_fully(client, _fresh(helper))

    data["groups"] = [*data.get("groups", []), str(_group(Role.SCHOOL_OFFICER).pk)]
    response = client.post(reverse("wagtailusers_users:edit", args=[person.pk]), data)

    assert _refused(response)
    assert not has_role(_fresh(person), Role.SCHOOL_OFFICER)

    bulk = client.post(
        reverse("wagtail_bulk_action", args=["accounts", "user", "assign_role"]) + f"?id={person.pk}",
        {"role": _group(Role.DISTRICT_STAFF).pk},
    )
    assert _refused(bulk)
    assert not has_role(_fresh(person), Role.DISTRICT_STAFF)


def test_the_bulk_assign_role_action_is_audited(client, superuser):
    people = [UserFactory(role=Role.PARENT), UserFactory(role=Role.PARENT)]
    sign_in_fully(client, superuser)
    ids = "&".join(f"id={person.pk}" for person in people)

    response = client.post(
        reverse("wagtail_bulk_action", args=["accounts", "user", "assign_role"]) + f"?{ids}",
        {"role": _group(Role.TEACHER).pk},
    )

    assert response.status_code == 302
    rows = AuditLog.objects.filter(action=AuditLog.Action.ROLE_GRANT, actor=superuser)
    assert sorted(row.detail["person"] for row in rows) == sorted(person.pk for person in people)


def test_district_staff_cannot_reach_user_or_group_editing(client):
    sign_in_fully(client, district_staff())

    for url in (reverse("wagtailusers_users:index"), reverse("wagtailusers_groups:index")):
        response = client.get(url)
        assert response.status_code in (302, 403) and not (
            response.status_code == 302 and response["Location"].startswith("/admin/users")
        )


def test_changing_what_a_role_may_do_is_audited(superuser, client):
    teachers = _group(Role.TEACHER)
    permission = Permission.objects.get(codename="view_auditlog")

    teachers.permissions.add(permission)

    entry = AuditLog.objects.get(action=AuditLog.Action.ROLE_GRANT, detail__group=teachers.name)
    assert entry.detail["permissions"] == ["schools.view_auditlog"]


def test_becoming_a_superuser_is_audited(db):
    person = UserFactory(role=Role.PARENT)

    person.is_superuser = True
    person.save()

    assert AuditLog.objects.filter(action=AuditLog.Action.ROLE_GRANT, detail__roles=["superuser"]).exists()


def test_parent_sign_ups_do_not_fill_the_audit_log(db):
    UserFactory(role=Role.PARENT)

    assert not AuditLog.objects.exists()


def test_deleting_a_staff_account_records_the_roles_and_memberships_it_had(school_a):
    officer = officer_of(school_a)
    pk = officer.pk

    officer.delete()

    entry = AuditLog.objects.get(action=AuditLog.Action.ROLE_REVOKE, detail__person=pk)
    assert entry.detail["roles"] == [Role.SCHOOL_OFFICER.group_name] and entry.detail["schools"] == [school_a.pk]


def test_deleting_a_role_records_who_held_it(db):
    person = UserFactory(role=Role.TEACHER)

    _group(Role.TEACHER).delete()

    entry = AuditLog.objects.get(action=AuditLog.Action.ROLE_REVOKE, detail__group=Role.TEACHER.group_name)
    assert entry.detail["persons"] == [person.pk]
