"""Fixtures shared by the cross-cutting security tests.

``sign_in`` is the ONE place these tests simulate a complete sign-in; it is
``tests.factories.accounts.sign_in_fully``: a staff member gets a session that passed both steps
(password, then the authenticator app), recorded the way allauth records it. The cache (where
rate-limit counts live) and the SMS outbox start empty for every test.
"""

from __future__ import annotations

import pytest

from tests.factories.accounts import sign_in_fully
from tests.isolation import empty_cache, sms_outbox  # noqa: F401 - autouse fixtures for every test here


@pytest.fixture
def sign_in():
    """``sign_in(client, user)``: a complete sign-in (with the second factor for staff)."""
    return sign_in_fully


@pytest.fixture(scope="session")
def _attachment_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("attachments")


@pytest.fixture(autouse=True)
def _attachment_root(settings, _attachment_dir):
    """Attachments written outside the project; one folder for the session, because the access
    matrix builds its cases (and their files) once per module."""
    settings.SCHOOLS_ATTACHMENT_ROOT = _attachment_dir


@pytest.fixture(autouse=True)
def _report_root(settings, tmp_path_factory):
    """Completion reports issued by these tests (the fuzzer issues some) are written outside the project."""
    settings.GUIDANCE_REPORT_ROOT = tmp_path_factory.getbasetemp() / "guidance-reports"


def totp_code(secret: str) -> str:
    """The current code of the authenticator app holding ``secret`` (as allauth checks it)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def pytest_terminal_summary(terminalreporter):
    """Prints how many requests the fuzz suite made and which answered 5xx."""
    import sys

    fuzz = sys.modules.get("tests.security.test_fuzz")
    if fuzz is not None:
        fuzz.pytest_report_fuzz(terminalreporter)
