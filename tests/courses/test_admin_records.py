"""Enrolments and assignments in the Wagtail admin."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.models import User
from courses import services
from courses.models import Assignment, Enrolment
from tests.factories.accounts import sign_in_fully


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")
    sign_in_fully(client, admin)
    client.admin = admin
    return client


def test_creating_an_assignment_in_the_admin_enrols_the_parent(admin_client, parent, course):
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    response = admin_client.post(
        reverse("course_assignments:add"),
        {"course": course.pk, "parent": parent.pk, "deadline": deadline.isoformat(), "reason": "个案会商"},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.assigned_by == admin_client.admin
    assert assignment.enrolment.status == Enrolment.Status.ACTIVE
    assert assignment.enrolment.source == Enrolment.Source.ASSIGNED


def test_enrolments_are_listed_but_cannot_be_edited_in_the_admin(admin_client, parent, course):
    enrolment = services.enrol(parent, course)
    listing = admin_client.get(reverse("course_enrolments:index"))
    assert listing.status_code == 200 and parent.name in listing.content.decode()
    assert admin_client.get(reverse("course_enrolments:edit", args=[enrolment.pk])).status_code in (302, 403)
    assert admin_client.get(reverse("course_enrolments:add")).status_code in (302, 403)
