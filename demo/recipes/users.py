"""Demo users (``data/users.json``), one per role, for development and demonstrations only.

``create_demo_users()`` is idempotent: run it again and the same users end up in the same
state (password, verified phone and e-mail, role, TOTP secret). Every value is obviously
fake: ``+86138000000xx`` numbers and ``@demo.huiai.invalid`` addresses (``.invalid`` can
never receive mail). School officers and district staff must use two-step verification to
see bullying reports, so their demo users get a TOTP authenticator with a fixed secret that
a developer types into an authenticator app (or feeds to ``oathtool --totp -b SECRET``).
TOTP secrets are base32 (A–Z, 2–7), 32 characters = 160 bits, as allauth generates them.
"""

from __future__ import annotations

from django.db import transaction

from ..builder import load
from ..sources import Authenticator, EmailAddress, Role, User, add_role, get_mfa_adapter, roles_of

USERS = load("users.json")
DEMO_PASSWORD: str = USERS["password"]
DEMO_EMAIL_DOMAIN: str = USERS["email_domain"]
DEMO_USERS: list[dict] = USERS["users"]


@transaction.atomic
def create_demo_users() -> list[dict]:
    """Creates or refreshes one user per role; returns what a developer needs to sign in."""
    return [ensure_demo_user(demo) for demo in DEMO_USERS]


def ensure_demo_user(demo: dict) -> dict:
    username = f"demo-{demo['slug']}"
    email = f"{demo['slug']}@{DEMO_EMAIL_DOMAIN}"
    role = Role(demo["role"])
    user = User.objects.filter(username=username).first() or User(username=username)
    user.name = demo["name"]
    user.email = email
    user.phone = demo["phone"]
    user.phone_verified = True
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).delete()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    for each in (role, *(Role(extra) for extra in demo["extra_roles"])):
        if each not in roles_of(user):
            add_role(user, each)
    if demo["totp_secret"]:
        encrypted = get_mfa_adapter().encrypt(demo["totp_secret"])
        Authenticator.objects.update_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypted}}
        )
    return {
        "role": str(role),
        "role_label": role.label,
        "name": demo["name"],
        "username": user.username,
        "phone": demo["phone"],
        "email": email,
        "password": DEMO_PASSWORD,
        "totp_secret": demo["totp_secret"],
    }
