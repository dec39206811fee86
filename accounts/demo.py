"""Demo users, one per role, for development and demonstrations only.

``create_demo_users()`` is idempotent: run it again and the same users end up in the same
state (password, verified phone and e-mail, role, TOTP secret). Every value is obviously
fake: ``+86138000000xx`` numbers and ``@demo.huiai.invalid`` addresses (``.invalid`` can
never receive mail). School officers and district staff must use two-step verification to
see bullying reports, so their demo users get a TOTP authenticator with a fixed secret that
a developer types into an authenticator app (or feeds to ``oathtool --totp -b SECRET``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator

from .models import User
from .roles import Role, add_role, roles_of

DEMO_PASSWORD = "huiai-demo-2026"
DEMO_EMAIL_DOMAIN = "demo.huiai.invalid"


@dataclass(frozen=True)
class DemoUser:
    role: Role
    slug: str
    name: str
    phone: str
    totp_secret: str | None = None
    extra_roles: tuple[Role, ...] = ()

    @property
    def email(self) -> str:
        return f"{self.slug}@{DEMO_EMAIL_DOMAIN}"


# TOTP secrets are base32 (A–Z, 2–7), 32 characters = 160 bits, as allauth generates them.
DEMO_USERS = [
    DemoUser(Role.PARENT, "parent", "演示家长", "+8613800000001"),
    DemoUser(Role.TEACHER, "teacher", "演示教师", "+8613800000002"),
    DemoUser(
        Role.SCHOOL_OFFICER, "officer", "演示学校防欺凌负责人", "+8613800000003", "HUIAIDEMOOFFICERTOTPSECRETAAAAAA"
    ),
    DemoUser(
        Role.DISTRICT_STAFF, "district", "演示区未保中心工作人员", "+8613800000004", "HUIAIDEMODISTRICTSTAFFTOTPAAAAAA"
    ),
    DemoUser(Role.EDITOR, "editor", "演示编辑", "+8613800000005"),
    # A district lead is district staff who also reads the audit log and receives escalations.
    DemoUser(
        Role.DISTRICT_LEAD,
        "lead",
        "演示区未保中心负责人",
        "+8613800000006",
        "HUIAIDEMODISTRICTLEADTOTPAAAAAAA",
        extra_roles=(Role.DISTRICT_STAFF,),
    ),
]


@transaction.atomic
def create_demo_users() -> list[dict]:
    """Creates or refreshes one user per role; returns what a developer needs to sign in."""
    return [ensure_demo_user(demo) for demo in DEMO_USERS]


def ensure_demo_user(demo: DemoUser) -> dict:
    user = User.objects.filter(username=f"demo-{demo.slug}").first() or User(username=f"demo-{demo.slug}")
    user.name = demo.name
    user.email = demo.email
    user.phone = demo.phone
    user.phone_verified = True
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=demo.email).delete()
    EmailAddress.objects.update_or_create(user=user, email=demo.email, defaults={"verified": True, "primary": True})
    for role in (demo.role, *demo.extra_roles):
        if role not in roles_of(user):
            add_role(user, role)
    if demo.totp_secret:
        encrypted = get_mfa_adapter().encrypt(demo.totp_secret)
        Authenticator.objects.update_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypted}}
        )
    return {
        "role": str(demo.role),
        "role_label": demo.role.label,
        "name": demo.name,
        "username": user.username,
        "phone": demo.phone,
        "email": demo.email,
        "password": DEMO_PASSWORD,
        "totp_secret": demo.totp_secret,
    }
