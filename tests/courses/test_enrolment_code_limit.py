"""Enrolment codes cannot be guessed: wrong codes are limited per parent and per client address.

Only wrong codes count (core/ratelimit.py), so a parent typing the right code is never held
back by what someone else typed.
"""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client

import pytest

from accounts.roles import Role
from courses.models import Enrolment
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import course_with_lessons

PROXY = "10.0.0.2"
TOO_MANY = "过去一小时内输入错误的报名码次数过多。请稍后再试，或向课程老师索取报名码。"
WRONG = "报名码不正确"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.COURSES_ENROLMENT_CODE_FAILURES_PER_HOUR = 3
    cache.clear()
    yield
    cache.clear()


def signed_in(address: str, parent=None, spoofed: str = "") -> Client:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{spoofed}, {address}" if spoofed else address)
    sign_in_fully(client, parent or UserFactory(role=Role.PARENT))
    return client


def enrol(client, course, code) -> str:
    """The message this attempt added (earlier unread ones stay in the session before it)."""
    response = client.post(course.url + "enrol/", {"code": code})
    assert response.status_code == 302
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


@pytest.fixture
def course(catalogue):
    return course_with_lessons(1, enrolment_code="XH2026")


def test_a_parent_is_stopped_after_a_few_wrong_codes_even_with_the_right_one(course):
    parent = UserFactory(role=Role.PARENT)
    guesser = signed_in("203.0.113.1", parent)
    for attempt in range(3):
        assert WRONG in enrol(guesser, course, f"GUESS{attempt}")

    assert enrol(guesser, course, "XH2026") == TOO_MANY
    # A new address does not reset the parent's own count.
    assert enrol(signed_in("203.0.113.2", parent), course, "XH2026") == TOO_MANY
    assert not Enrolment.objects.exists()


def test_one_address_cannot_guess_with_many_accounts(course):
    for attempt in range(3):
        enrol(signed_in("203.0.113.3"), course, f"GUESS{attempt}")

    assert enrol(signed_in("203.0.113.3"), course, "NOPE") == TOO_MANY
    # Writing a leftmost X-Forwarded-For entry does not make it another client.
    assert enrol(signed_in("203.0.113.3", spoofed="198.51.100.9"), course, "NOPE") == TOO_MANY


def test_others_guessing_never_stops_a_parent_with_the_right_code(course):
    for attempt in range(5):
        enrol(signed_in("203.0.113.4"), course, f"GUESS{attempt}")

    parent = UserFactory(role=Role.PARENT)
    enrol(signed_in("203.0.113.5", parent), course, "xh2026")
    assert Enrolment.objects.get(parent=parent).status == Enrolment.Status.ACTIVE


def test_right_codes_do_not_count(catalogue):
    parent = UserFactory(role=Role.PARENT)
    client = signed_in("203.0.113.6", parent)
    for index in range(5):
        enrol(client, course_with_lessons(1, enrolment_code=f"OK{index}"), f"OK{index}")
    assert Enrolment.objects.filter(parent=parent).count() == 5
