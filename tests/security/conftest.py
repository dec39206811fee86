"""Fixtures shared by the cross-cutting security tests.

``sign_in`` is the ONE place these tests simulate a sign-in; a staff member gets a session that
passed both steps (password, then the authenticator app), recorded the way allauth records it.
If the way a full sign-in is simulated changes, change it here only.
"""

from __future__ import annotations

import time

import pytest

from accounts import roles

MFA_ROLES = roles.SENSITIVE_DATA_ROLES


def full_sign_in(client, user) -> None:
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str

    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    now = time.time()
    records = [{"method": "password", "at": now, "email": user.email or ""}]
    if roles.requires_mfa(user):
        records.append({"method": "mfa", "at": now, "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


@pytest.fixture
def sign_in():
    """``sign_in(client, user)``: a complete sign-in (with the second factor for staff)."""
    return full_sign_in


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _attachment_root(settings, tmp_path):
    settings.SCHOOLS_ATTACHMENT_ROOT = tmp_path / "attachments"


def pytest_terminal_summary(terminalreporter):
    """Prints how many requests the fuzz suite made and which answered 5xx."""
    import sys

    fuzz = sys.modules.get("tests.security.test_fuzz")
    if fuzz is not None:
        fuzz.pytest_report_fuzz(terminalreporter)
