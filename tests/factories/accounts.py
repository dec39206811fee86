"""Factories for accounts: users in each role, with verified phone or e-mail."""

from __future__ import annotations

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
