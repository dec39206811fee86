"""Enrolment and progress reports in the admin, with CSV and XLSX export."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest

from accounts.models import User
from accounts.roles import Role
from courses import reports, services
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import course_with_lessons

DAY = datetime.timedelta(days=1)


def finish_lesson(parent, lesson):
    progress = services.open_lesson(parent, lesson)
    progress.first_opened_at = timezone.now() - datetime.timedelta(hours=1)
    progress.save()
    services.mark_text_lesson_done(parent, lesson)


@pytest.fixture
def teacher(db):
    return UserFactory(role=Role.TEACHER)


@pytest.fixture
def report_data(catalogue, teacher):
    """A course of the teacher's: 1 finished, 1 started, 1 overdue and untouched, 1 waitlisted."""
    course = course_with_lessons(2, title="情绪管理", teacher=teacher, capacity=3)
    finished, started, overdue, waiting = (UserFactory(role=Role.PARENT, name=name) for name in "甲乙丙丁")
    for parent in (finished, started):
        services.enrol(parent, course)
    services.assign_course(course, parents=[overdue], deadline=timezone.localdate() - DAY, reason="个案会商")
    services.enrol(waiting, course)
    for lesson in course.lessons():
        finish_lesson(finished, lesson)
    finish_lesson(started, course.lessons().first())
    other = course_with_lessons(1, title="别的老师的课")
    services.enrol(UserFactory(role=Role.PARENT, name="戊"), other)
    return course


def test_course_rows_count_enrolled_waitlisted_started_completed_and_overdue(report_data):
    row = reports.course_rows(User.objects.filter(is_superuser=True).first() or _superuser()).get(pk=report_data.pk)
    assert (row.enrolled, row.waitlisted, row.started, row.completed, row.overdue) == (3, 1, 2, 1, 1)


def _superuser():
    return User.objects.create_superuser(username="root", email="root@example.invalid", password="pw-123456")


def test_enrolment_rows_carry_progress_and_deadline(report_data, teacher):
    rows = {row.parent.name: row for row in reports.enrolment_rows(teacher)}
    assert set(rows) == {"甲", "乙", "丙", "丁"}
    assert (rows["甲"].progress_percent, rows["乙"].progress_percent, rows["丙"].progress_percent) == (100, 50, 0)
    assert rows["丙"].is_overdue and not rows["乙"].is_overdue


def test_a_teacher_sees_only_their_own_courses(report_data, teacher, client):
    sign_in_fully(client, teacher)
    html = client.get(reverse("course_report")).content.decode()
    assert "情绪管理" in html and "别的老师的课" not in html
    listing = client.get(reverse("course_enrolments:index")).content.decode()
    assert "戊" not in listing


def test_district_staff_see_every_course(report_data, client):
    sign_in_fully(client, UserFactory(role=Role.DISTRICT_STAFF))
    html = client.get(reverse("course_report")).content.decode()
    assert "情绪管理" in html and "别的老师的课" in html


def test_a_parent_cannot_open_the_course_report(report_data, parent, client):
    sign_in_fully(client, parent)
    assert client.get(reverse("course_report")).status_code in (302, 403)


def test_course_report_exports_csv(report_data, teacher, client):
    sign_in_fully(client, teacher)
    response = client.get(reverse("course_report"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[1] == "情绪管理,3,1,2,1,1"


def test_enrolments_export_xlsx_with_masked_phones(report_data, teacher, client):
    sign_in_fully(client, teacher)
    response = client.get(reverse("course_enrolments:index"), {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 5
    by_name = {row[0]: row for row in rows[1:]}
    assert "****" in by_name["甲"][1]
    assert by_name["甲"][2] == "情绪管理"
