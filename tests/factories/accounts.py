"""Factories for accounts: users in each role, with verified phone or e-mail."""

from __future__ import annotations

import time

from django.test import Client

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from factory.django import DjangoModelFactory

from accounts.models import User
from accounts.roles import Role, add_role

PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(DjangoModelFactory):
    """A user with a usable password (``PASSWORD``), a verified phone and a verified e-mail.

    ``role=Role.TEACHER`` puts the user in that role's group (default: parent).
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n:05d}")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.invalid")
    phone = factory.Sequence(lambda n: f"+86139{n:08d}")
    phone_verified = True
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted is not False:
            add_role(self, extracted or Role.PARENT)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and self.email and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


def add_totp(user: User, secret: str = TOTP_SECRET) -> Authenticator:
    """Gives ``user`` an activated authenticator app, as allauth's TOTP set-up page does."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": get_mfa_adapter().encrypt(secret)}
    )


def sign_in_fully(client, user: User, backend: str | None = None) -> None:
    """Signs ``user`` in on the test ``client`` as allauth's full sign-in would.

    The session gets what allauth writes after the password step and, for users who use a
    second factor, the authenticator-app step (``record_authentication`` methods "password"
    and "mfa"), so ``accounts.middleware.MFARequiredMiddleware`` lets it into the admin and
    case pages. A user whose role requires a second factor (``roles.requires_mfa``) and who
    has none is first given an authenticator app (``add_totp``), as they would have to.
    Plain ``client.force_login`` is "a session made by another path": staff are sent to
    re-enter their code.
    """
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
    from allauth.account.internal.userkit import user_id_to_str

    from accounts.middleware import SECOND_FACTOR_TYPES
    from accounts.roles import requires_mfa

    authenticator = Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).first()
    if authenticator is None and requires_mfa(user):
        authenticator = add_totp(user)
    Client.force_login(client, user, backend)  # the plain one, also for a FullSignInClient
    now = time.time()
    records = [{"method": "password", "at": now, "email": user.email or ""}]
    if authenticator is not None:
        records.append({"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


class FullSignInClient(Client):
    """A test client whose ``force_login`` is ``sign_in_fully``.

    For Wagtail's test helpers that sign a superuser in themselves (``assertPageIsPreviewable``):
    set ``client_class = FullSignInClient`` on the TestCase.
    """

    def force_login(self, user, backend=None):
        sign_in_fully(self, user, backend)
