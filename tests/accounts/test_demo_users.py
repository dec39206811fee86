"""demo.recipes.users.create_demo_users: one ready-to-use user per role, created idempotently."""

from __future__ import annotations

from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from accounts.models import User
from accounts.roles import Role, roles_of
from demo.recipes.users import DEMO_PASSWORD, create_demo_users

pytestmark = pytest.mark.django_db


# The demo court liaison is made with its court by the guidance demo (demo/recipes/guidance.py):
# a liaison without a court sees nothing.
ROLES_OF_DEMO_USERS = [role for role in Role if role != Role.COURT_LIAISON]


def test_creates_one_user_per_role():
    created = create_demo_users()

    assert [entry["role"] for entry in created] == [str(role) for role in ROLES_OF_DEMO_USERS]
    for entry in created:
        user = User.objects.get(username=entry["username"])
        expected = {Role(entry["role"])} | ({Role.DISTRICT_STAFF} if entry["role"] == Role.DISTRICT_LEAD else set())
        assert roles_of(user) == expected


def test_the_demo_district_lead_reads_the_audit_log():
    from schools.services import can_read_audit_log

    created = {entry["role"]: entry for entry in create_demo_users()}

    assert can_read_audit_log(User.objects.get(username=created["district_lead"]["username"]))
    assert not can_read_audit_log(User.objects.get(username=created["district_staff"]["username"]))


def test_running_twice_creates_no_duplicates_and_returns_the_same_list():
    first = create_demo_users()
    second = create_demo_users()

    assert first == second
    assert User.objects.count() == len(ROLES_OF_DEMO_USERS)
    assert EmailAddress.objects.count() == len(ROLES_OF_DEMO_USERS)
    assert Authenticator.objects.count() == 4  # officer, district staff, lead, guidance worker


def test_running_again_restores_a_changed_password():
    create_demo_users()
    user = User.objects.get(username="demo-parent")
    user.set_password("changed-by-someone")
    user.save()

    create_demo_users()

    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_demo_contact_details_are_obviously_fake_and_verified():
    for entry in create_demo_users():
        user = User.objects.get(username=entry["username"])
        assert entry["phone"].startswith("+86138000000")
        assert entry["email"].endswith("@demo.huiai.invalid")
        assert user.phone_verified
        assert EmailAddress.objects.get(user=user).verified


def test_only_the_roles_that_need_a_second_factor_get_a_totp_secret_that_works():
    from accounts.roles import MFA_ROLES

    created = {entry["role"]: entry for entry in create_demo_users()}

    sensitive = {str(role) for role in MFA_ROLES} - {str(Role.COURT_LIAISON)}
    assert sensitive == {"school_officer", "district_staff", "district_lead", "guidance_worker"}
    assert {role for role, entry in created.items() if entry["totp_secret"]} == sensitive
    for role in sorted(sensitive):
        secret = created[role]["totp_secret"]
        authenticator = Authenticator.objects.get(user__username=created[role]["username"])
        assert authenticator.type == Authenticator.Type.TOTP
        assert authenticator.wrap().validate_code(format_hotp_value(hotp_value(secret, _current_counter())))


def test_demo_parent_can_sign_in_with_the_printed_phone_and_password(client):
    parent = next(entry for entry in create_demo_users() if entry["role"] == "parent")

    client.post(
        reverse("account_login"), {"login": parent["phone"].removeprefix("+86"), "password": parent["password"]}
    )

    assert client.session["_auth_user_id"] == str(User.objects.get(username="demo-parent").pk)


def _current_counter() -> int:
    import time

    from allauth.mfa import app_settings

    return int(time.time()) // app_settings.TOTP_PERIOD


def test_every_demo_person_is_described_once_across_the_data_files():
    """One username and one phone number per demo person, whichever recipe creates them."""
    import json
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "demo" / "data"
    people = [
        (path.name, spec)
        for path in sorted(data.glob("*.json"))
        for spec in json.loads(path.read_text(encoding="utf-8")).get("users", [])
        if isinstance(spec, dict) and "slug" in spec
    ]
    slugs = [spec["slug"] for _name, spec in people]
    phones = [spec["phone"] for _name, spec in people]

    assert len(people) >= len(ROLES_OF_DEMO_USERS)
    assert len(set(slugs)) == len(slugs), people
    assert len(set(phones)) == len(phones), people


def test_the_guidance_demo_keeps_the_demo_guidance_worker_as_the_users_file_describes_them():
    from demo.recipes.guidance import create_demo_guidance
    from demo.recipes.users import DEMO_USERS

    spec = next(spec for spec in DEMO_USERS if spec["role"] == Role.GUIDANCE_WORKER)
    create_demo_guidance()  # before the users: it creates the worker it needs
    create_demo_users()
    create_demo_guidance()

    worker = User.objects.get(username=f"demo-{spec['slug']}")
    assert (worker.name, worker.phone) == (spec["name"], spec["phone"])
    assert User.objects.filter(groups__name=Role.GUIDANCE_WORKER.group_name).count() == 1
