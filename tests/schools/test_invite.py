"""District staff invite a school officer by mobile number or e-mail address."""

from __future__ import annotations

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

import pytest

from accounts.adapter import INVALID_PHONE_MESSAGE
from accounts.models import User
from accounts.roles import Role, has_role
from schools import services
from schools.models import AuditLog, Notification, SchoolMembership
from tests.factories.accounts import UserFactory, sign_in_fully

pytestmark = pytest.mark.django_db


def _post(client, school, **fields):
    data = {"school": school.pk, "role": "officer", "name": "", "phone": "", "email": ""} | fields
    return client.post(reverse("schools:invite_officer"), data)


def test_inviting_a_new_person_by_phone_creates_the_officer_and_texts_them(
    client, district, school_a, sms_outbox, django_capture_on_commit_callbacks
):
    sign_in_fully(client, district)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, school_a, phone="139 0000 1234", name="王老师")

    assert response.status_code == 302
    user = User.objects.get(phone="+8613900001234")
    assert user.name == "王老师" and not user.has_usable_password()
    assert has_role(user, Role.SCHOOL_OFFICER)
    assert SchoolMembership.objects.get(user=user).school == school_a
    assert [message.to for message in sms_outbox] == ["+8613900001234"]  # delivered through the outbox
    assert school_a.name in sms_outbox[0].body
    assert Notification.objects.get(recipient=user).sent_at is not None
    entry = AuditLog.objects.get(action=AuditLog.Action.INVITE)
    assert entry.actor == district and entry.detail["invitee"] == user.pk and entry.detail["new_user"] is True


def test_inviting_an_existing_account_by_email_links_it_and_mails_them(
    client, district, school_a, django_capture_on_commit_callbacks
):
    person = UserFactory(role=Role.PARENT, email="Teacher.Li@example.invalid", phone="")
    sign_in_fully(client, district)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, school_a, email="teacher.li@example.invalid", role="principal")

    assert response.status_code == 302
    assert User.objects.filter(email__iexact="teacher.li@example.invalid").count() == 1
    assert SchoolMembership.objects.get(user=person).role == "principal"
    person = User.objects.get(pk=person.pk)
    assert has_role(person, Role.SCHOOL_OFFICER) and has_role(person, Role.PARENT)
    assert [message.to for message in mail.outbox] == [["Teacher.Li@example.invalid"]]
    assert services.school_ids_of(person) == [school_a.pk]


def test_inviting_twice_keeps_one_membership(client, district, school_a):
    sign_in_fully(client, district)
    _post(client, school_a, email="once@example.invalid")
    _post(client, school_a, email="once@example.invalid")

    assert SchoolMembership.objects.filter(user__email="once@example.invalid").count() == 1


def test_an_invitation_needs_a_phone_or_an_email(client, district, school_a):
    sign_in_fully(client, district)

    response = _post(client, school_a)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not SchoolMembership.objects.exists()


def test_a_bad_phone_number_is_refused_with_a_clear_message(client, district, school_a):
    sign_in_fully(client, district)

    response = _post(client, school_a, phone="12345")

    assert response.status_code == 400
    assert response.context["form"].errors["phone"][0].startswith(str(INVALID_PHONE_MESSAGE)[:10])
    assert not SchoolMembership.objects.exists()


def test_phone_and_email_of_two_different_people_are_refused(client, district, school_a):
    UserFactory(email="a@example.invalid", phone="+8613900000001")
    UserFactory(email="b@example.invalid", phone="+8613900000002")
    sign_in_fully(client, district)

    response = _post(client, school_a, email="a@example.invalid", phone="13900000002")

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not SchoolMembership.objects.exists()


def test_only_district_staff_may_invite(officer_a, school_a):
    with pytest.raises(PermissionDenied):
        services.invite_officer(by=officer_a, school=school_a, role="officer", email="x@example.invalid")
    assert not User.objects.filter(email="x@example.invalid").exists()
