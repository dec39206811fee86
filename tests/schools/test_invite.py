"""Inviting school officers: a single-use, expiring link; nothing granted until it is accepted.

The attack these tests stop: someone signs up as ``principal@…`` (unverified) before the
district invites that address, and is handed the officer role. An invitation never matches an
existing account; the role goes to whoever opens the link (which only reached the invited
address) and accepts, and that address becomes verified on the accepting account.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress

from accounts.adapter import INVALID_PHONE_MESSAGE
from accounts.models import User
from accounts.roles import Role, has_role
from schools import invitations
from schools.invitation_views import SESSION_KEY
from schools.models import AuditLog, Notification, OfficerInvitation, SchoolMembership
from tests.factories.accounts import PASSWORD, UserFactory, sign_in_fully

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/schools/invitations/([A-Za-z0-9_\-]+)/")


def _post(client, school, **fields):
    data = {"school": school.pk, "role": "officer", "name": "", "phone": "", "email": ""} | fields
    return client.post(reverse("schools:invite_officer"), data)


def _token_from(body: str) -> str:
    match = LINK.search(body)
    assert match, body
    return match.group(1)


def _fresh(user):
    return User.objects.get(pk=user.pk)


def _accept(client, token):
    """Open the link (as the invitee does), then confirm on the acceptance page."""
    opened = client.get(reverse("schools:invitation", args=[token]))
    if opened.status_code != 302:
        return opened
    return client.post(reverse("schools:invitation_accept"))


@pytest.fixture
def invite(district, school_a):
    def make(**fields):
        fields = {"role": "officer"} | fields
        return invitations.invite_officer(by=district, school=school_a, **fields)

    return make


# --- Issuing --------------------------------------------------------------------------------------


def test_inviting_by_phone_grants_nothing_and_texts_a_link(
    client, district, school_a, sms_outbox, django_capture_on_commit_callbacks
):
    sign_in_fully(client, district)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, school_a, phone="139 0000 1234", name="王老师")

    assert response.status_code == 302
    assert not User.objects.filter(phone="+8613900001234").exists()
    assert not SchoolMembership.objects.exists()
    assert [message.to for message in sms_outbox] == ["+8613900001234"]  # delivered through the outbox
    token = _token_from(sms_outbox[0].body)
    assert school_a.name in sms_outbox[0].body
    invitation = OfficerInvitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(OfficerInvitation.objects.values()))  # only the hash is stored
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    entry = AuditLog.objects.get(action=AuditLog.Action.INVITE)
    assert entry.actor == district and entry.detail["invitation"] == invitation.pk
    assert "1234" in entry.detail["address"] and "+8613900001234" not in str(entry.detail)


def test_tokens_are_unguessable_and_distinct(invite):
    tokens = {invite(email=f"p{n}@example.invalid").tokens[0] for n in range(20)}

    assert len(tokens) == 20 and all(len(token) >= 40 for token in tokens)


def test_a_planted_unverified_account_with_the_invited_address_gets_nothing(
    client, district, school_a, django_capture_on_commit_callbacks
):
    # Someone signs up as the principal before the district invites that address.
    planted = UserFactory(role=Role.PARENT, email="principal@school.example.invalid", verified_email=False)
    EmailAddress.objects.create(user=planted, email=planted.email, verified=False, primary=True)
    sign_in_fully(client, district)

    with django_capture_on_commit_callbacks(execute=True):
        _post(client, school_a, email="Principal@school.example.invalid", role="principal")

    planted = _fresh(planted)
    assert not has_role(planted, Role.SCHOOL_OFFICER)
    assert not SchoolMembership.objects.filter(user=planted).exists()
    assert not Notification.objects.filter(recipient=planted).exists()
    assert [message.to for message in mail.outbox] == [["principal@school.example.invalid"]]

    # The planted account opening some other token, or none, gets nothing either.
    sign_in_fully(client, planted)
    assert client.post(reverse("schools:invitation_accept")).status_code == 404
    assert client.get(reverse("schools:invitation", args=["x" * 43])).status_code == 404
    assert not has_role(_fresh(planted), Role.SCHOOL_OFFICER)

    # The real principal opens the mailed link with a new account: the address becomes theirs.
    principal = UserFactory(role=Role.PARENT, email="", verified_email=False)
    sign_in_fully(client, principal)
    response = _accept(client, _token_from(mail.outbox[0].body))

    assert response.status_code == 302
    assert has_role(_fresh(principal), Role.SCHOOL_OFFICER)
    assert EmailAddress.objects.get(email="principal@school.example.invalid").user == principal
    assert _fresh(principal).email == "principal@school.example.invalid"
    assert _fresh(planted).email == ""  # the unproven claim is dropped
    assert not has_role(_fresh(planted), Role.SCHOOL_OFFICER)


def test_an_invitation_needs_a_phone_or_an_email(client, district, school_a):
    sign_in_fully(client, district)

    response = _post(client, school_a)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not OfficerInvitation.objects.exists()


def test_a_bad_phone_number_is_refused_with_a_clear_message(client, district, school_a):
    sign_in_fully(client, district)

    response = _post(client, school_a, phone="12345")

    assert response.status_code == 400
    assert response.context["form"].errors["phone"][0].startswith(str(INVALID_PHONE_MESSAGE)[:10])
    assert not OfficerInvitation.objects.exists()


def test_only_district_staff_may_invite(officer_a, school_a):
    with pytest.raises(PermissionDenied):
        invitations.invite_officer(by=officer_a, school=school_a, role="officer", email="x@example.invalid")
    assert not OfficerInvitation.objects.exists()


def test_inviting_again_replaces_the_pending_link(invite, client):
    first = invite(email="once@example.invalid").tokens[0]
    second = invite(email="once@example.invalid").tokens[0]
    person = UserFactory(email="", verified_email=False)
    sign_in_fully(client, person)

    assert _accept(client, first).status_code == 410
    assert _accept(client, second).status_code == 302
    assert SchoolMembership.objects.filter(user=person).count() == 1


# --- Accepting --------------------------------------------------------------------------------------


def test_acceptance_grants_role_membership_and_verifies_the_address(client, invite, school_a):
    made = invite(email="teacher.li@example.invalid", role="principal", name="李老师")
    person = UserFactory(role=Role.PARENT, email="li.private@example.invalid", name="")
    sign_in_fully(client, person)

    opened = client.get(reverse("schools:invitation", args=[made.tokens[0]]))
    assert opened.status_code == 302 and opened["Location"] == reverse("schools:invitation_accept")
    page = client.get(opened["Location"])
    assert page.status_code == 200 and made.tokens[0] not in page.content.decode()
    assert school_a.name in page.content.decode()
    response = client.post(reverse("schools:invitation_accept"))

    assert response.status_code == 302 and response["Location"] == reverse("schools:case_list")
    person = _fresh(person)
    assert has_role(person, Role.SCHOOL_OFFICER) and has_role(person, Role.PARENT)
    assert SchoolMembership.objects.get(user=person, school=school_a).role == "principal"
    assert EmailAddress.objects.get(user=person, email="teacher.li@example.invalid").verified
    assert person.email == "li.private@example.invalid"  # their primary address stays
    assert person.name == "李老师"
    entry = AuditLog.objects.get(action=AuditLog.Action.INVITE_ACCEPT)
    assert entry.actor == person and entry.detail["school"] == school_a.pk and entry.detail["verified"] == "email"
    assert SESSION_KEY not in client.session
    # The link no longer sits in the outbox.
    assert made.tokens[0] not in Notification.objects.get().body


def test_a_phone_invitation_verifies_the_number_on_the_accepting_account(client, invite, school_a):
    made = invite(phone="+8613900005678")
    person = UserFactory(phone=None, phone_verified=False)
    sign_in_fully(client, person)

    assert _accept(client, made.tokens[0]).status_code == 302

    person = _fresh(person)
    assert person.phone == "+8613900005678" and person.phone_verified
    assert has_role(person, Role.SCHOOL_OFFICER)


def test_a_planted_unverified_phone_is_taken_from_the_other_account(client, invite):
    planted = UserFactory(phone="+8613900005678", phone_verified=False)
    made = invite(phone="+8613900005678")
    person = UserFactory(phone=None, phone_verified=False)
    sign_in_fully(client, person)

    assert _accept(client, made.tokens[0]).status_code == 302

    assert _fresh(planted).phone is None and not has_role(_fresh(planted), Role.SCHOOL_OFFICER)
    assert _fresh(person).phone == "+8613900005678"


def test_an_address_verified_on_another_account_is_not_taken(client, invite):
    owner = UserFactory(email="owner@example.invalid")
    made = invite(email="owner@example.invalid")
    other = UserFactory()
    sign_in_fully(client, other)

    response = _accept(client, made.tokens[0])

    assert response.status_code == 400
    assert "另一个账号" in response.content.decode()
    assert not has_role(_fresh(other), Role.SCHOOL_OFFICER)
    assert EmailAddress.objects.get(email="owner@example.invalid").user == owner
    # The owner can still accept with their own account.
    sign_in_fully(client, owner)
    assert _accept(client, made.tokens[0]).status_code == 302
    assert has_role(_fresh(owner), Role.SCHOOL_OFFICER)


def test_a_token_works_once_and_another_account_cannot_reuse_it(client, invite):
    token = invite(email="once@example.invalid").tokens[0]
    first, second = UserFactory(), UserFactory()
    sign_in_fully(client, first)
    assert _accept(client, token).status_code == 302

    sign_in_fully(client, second)
    response = client.get(reverse("schools:invitation", args=[token]))

    assert response.status_code == 410
    assert "已经使用" in response.content.decode()
    assert not has_role(_fresh(second), Role.SCHOOL_OFFICER)
    assert not SchoolMembership.objects.filter(user=second).exists()
    with pytest.raises(invitations.InvitationUnusable):
        invitations.accept(token, user=second)


def test_a_token_kept_in_the_session_cannot_be_accepted_after_it_is_used(client, invite):
    token = invite(email="once@example.invalid").tokens[0]
    first, second = UserFactory(), UserFactory()
    sign_in_fully(client, second)
    client.get(reverse("schools:invitation", args=[token]))  # second opens it but waits
    invitations.accept(token, user=first)

    response = client.post(reverse("schools:invitation_accept"))

    assert response.status_code == 410
    assert not has_role(_fresh(second), Role.SCHOOL_OFFICER)


def test_an_expired_token_is_refused(client, invite, settings):
    made = invite(email="late@example.invalid")
    OfficerInvitation.objects.filter(pk=made.invitations[0].pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    person = UserFactory()
    sign_in_fully(client, person)

    response = _accept(client, made.tokens[0])

    assert response.status_code == 410
    assert "已过期" in response.content.decode()
    assert not has_role(_fresh(person), Role.SCHOOL_OFFICER)


def test_the_expiry_is_a_setting(invite, settings):
    settings.SCHOOLS_INVITATION_DAYS = 2
    invitation = invite(email="soon@example.invalid").invitations[0]

    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=2)


def test_district_staff_see_pending_invitations_and_revoke_them(client, district, invite):
    made = invite(email="revoke.me@example.invalid")
    sign_in_fully(client, district)

    page = client.get(reverse("schools:invite_officer"))
    assert "r***@example.invalid" in page.content.decode()
    response = client.post(reverse("schools:invitation_revoke", args=[made.invitations[0].pk]))

    assert response.status_code == 302
    assert OfficerInvitation.objects.get().closed_by == district
    entry = AuditLog.objects.get(action=AuditLog.Action.INVITE_REVOKE)
    assert entry.actor == district and entry.detail["reason"] == "revoked"
    person = UserFactory()
    sign_in_fully(client, person)
    refused = _accept(client, made.tokens[0])
    assert refused.status_code == 410 and "撤回" in refused.content.decode()
    assert not has_role(_fresh(person), Role.SCHOOL_OFFICER)


def test_only_district_staff_revoke(client, officer_a, invite):
    made = invite(email="keep@example.invalid")
    sign_in_fully(client, officer_a)

    client.post(reverse("schools:invitation_revoke", args=[made.invitations[0].pk]))

    assert OfficerInvitation.objects.get().closed_at is None


def test_email_and_phone_make_two_links_and_accepting_one_closes_the_other(client, invite, school_a):
    made = invite(email="both@example.invalid", phone="+8613900007777")
    person = UserFactory(phone=None, phone_verified=False)
    sign_in_fully(client, person)

    assert len(made.tokens) == 2
    assert _accept(client, made.tokens[1]).status_code == 302  # the text message

    assert _fresh(person).phone == "+8613900007777"
    assert not EmailAddress.objects.filter(email="both@example.invalid").exists()  # that link never came back
    assert _accept(client, made.tokens[0]).status_code == 410


def test_an_anonymous_invitee_signs_in_and_comes_back_with_the_token(client, invite):
    made = invite(email="comes.back@example.invalid")
    person = UserFactory(email="comes.back.private@example.invalid")

    opened = client.get(reverse("schools:invitation", args=[made.tokens[0]]), follow=True)
    assert opened.status_code == 200
    body = opened.content.decode()
    login_url = reverse("account_login") + "?next=" + reverse("schools:invitation_accept").replace("/", "%2F")
    assert login_url in body
    assert not has_role(_fresh(person), Role.SCHOOL_OFFICER)
    # Anonymous POST grants nothing.
    assert client.post(reverse("schools:invitation_accept")).status_code == 200

    signed_in = client.post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD, "next": reverse("schools:invitation_accept")},
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("schools:invitation_accept")
    assert client.post(reverse("schools:invitation_accept")).status_code == 302

    assert has_role(_fresh(person), Role.SCHOOL_OFFICER)
