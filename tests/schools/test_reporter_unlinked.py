"""No stored row links a signed-in person to the anonymous report they look up or write to.

The reporter's follow-up state lives in a signed, HttpOnly, SameSite=Strict cookie scoped to
the anonymous-report pages, never in the user's session.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.urls import reverse

import pytest

from schools import receipts
from schools.models import BullyingReport, CaseMessage
from tests.factories.accounts import sign_in_fully

pytestmark = pytest.mark.django_db
REPORT = reverse("schools:anonymous_report")
STATUS = reverse("schools:anonymous_status")
CASE = reverse("schools:anonymous_case")
REPORTER_COOKIE = "huiai_reporter"
CODE_PATTERN = re.compile(r"[A-Z2-9]{3}(?:-[A-Z2-9]{3}){6}")


def _file_report(school) -> str:
    from django.test import Client

    reporter = Client()  # filed from a device nobody is signed in on
    reporter.post(
        REPORT,
        {"school": school.pk, "reporter_kind": "parent", "narrative": "孩子在校车上被高年级同学勒索零花钱。"},
    )
    return CODE_PATTERN.search(reporter.get(reverse("schools:anonymous_receipt")).content.decode()).group(0)


def _session_values() -> list:
    values = []
    for session in Session.objects.all():
        values.extend(session.get_decoded().items())
    return values


def _user_rows_mentioning(user, report, code) -> list[str]:
    """Every row of every table that holds ``user``'s id and also points at or quotes the report."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    needles = {report.case_number, code, receipts.normalise(code), receipts.code_hash(code)}
    found = []
    for model in apps.get_models():
        user_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is user_model
        ]
        if model is user_model:
            rows = model.objects.filter(pk=user.pk)
        elif user_fields:
            rows = model.objects.filter(models.Q(*[(name, user.pk) for name in user_fields], _connector=models.Q.OR))
        else:
            continue
        report_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is BullyingReport
        ]
        for row in rows.values():
            points_at_report = any(row[name] == report.pk for name in report_fields)
            if points_at_report or any(needle in repr(row) for needle in needles):
                found.append(f"{model.__name__}: {row}")
    return found


def test_a_signed_in_lookup_and_message_leave_no_row_linking_the_user_to_the_report(client, parent, school_a):
    code = _file_report(school_a)
    report = BullyingReport.objects.get()
    sign_in_fully(client, parent)

    assert client.post(STATUS, {"code": code})["Location"] == CASE
    assert client.post(CASE, {"body": "我想补充：是每周一早上发生的。"}).status_code == 302
    assert "每周一早上" in client.get(CASE).content.decode()  # the follow-up still works

    for key, value in _session_values():
        assert "report" not in key and "receipt" not in key
        # The user's own id (Django's and allauth's sign-in keys) may equal the report's id by chance.
        if not (str(value) == str(parent.pk) and "auth" in key):
            assert value != report.pk and str(report.pk) != str(value)
        assert code not in repr(value) and report.case_number not in repr(value)
    assert _user_rows_mentioning(parent, report, code) == []
    assert client.session.get("_auth_user_id") == str(parent.pk)  # still signed in, session untouched


def test_the_follow_up_cookie_is_signed_httponly_strict_short_and_scoped(client, school_a, parent):
    code = _file_report(school_a)
    sign_in_fully(client, parent)

    cookie = client.post(STATUS, {"code": code}).cookies[REPORTER_COOKIE]

    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == STATUS
    assert 0 < int(cookie["max-age"]) <= 30 * 60


def test_another_browser_without_the_cookie_gets_nothing(client, school_a, parent):
    from django.test import Client

    code = _file_report(school_a)
    sign_in_fully(client, parent)
    client.post(STATUS, {"code": code})

    other = Client()
    sign_in_fully(other, parent)  # the same person, signed in elsewhere
    assert other.get(CASE)["Location"] == STATUS
    assert other.post(CASE, {"body": "冒充的消息"})["Location"] == STATUS
    assert not CaseMessage.objects.filter(body="冒充的消息").exists()


def test_a_forged_or_expired_cookie_opens_nothing(client, school_a, monkeypatch):
    from django.core import signing

    code = _file_report(school_a)
    report = BullyingReport.objects.get()
    client.cookies[REPORTER_COOKIE] = str(report.pk)  # not signed
    assert client.get(CASE)["Location"] == STATUS

    client.post(STATUS, {"code": code})
    assert client.get(CASE).status_code == 200
    later = signing.time.time() + 31 * 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.get(CASE)["Location"] == STATUS


def test_leaving_clears_the_cookie(client, school_a):
    code = _file_report(school_a)
    client.post(STATUS, {"code": code})

    response = client.post(reverse("schools:anonymous_leave"))

    assert response.cookies[REPORTER_COOKIE]["max-age"] == 0
    assert client.get(CASE)["Location"] == STATUS
