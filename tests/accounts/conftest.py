"""Fixtures for the accounts tests: an empty SMS outbox and helpers to read codes from it."""

from __future__ import annotations

import re

import pytest

from accounts import sms


@pytest.fixture(autouse=True)
def sms_outbox():
    """``accounts.sms.outbox`` (LocmemSMSBackend), emptied before and after each test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def code_in(text: str) -> str:
    """The sign-in or verification code in a text message or e-mail."""
    match = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
    assert match, f"no code in {text!r}"
    return match.group(1)


def in_chinese(message) -> str:
    """``message`` as the site shows it (zh-hans is the default language)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(message)
