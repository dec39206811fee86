"""Reminders for assigned courses: due in 3 days or overdue, exactly once, by e-mail or SMS."""

from __future__ import annotations

import datetime

from django.core import mail
from django.utils import timezone

import pytest

from accounts import sms
from accounts.roles import Role
from courses import services
from courses.models import Reminder
from courses.reminders import send_due_reminders, set_optional_reminders
from courses.tasks import send_assignment_reminders
from tests.factories.accounts import UserFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


def assign(course, parent, deadline):
    [assignment] = services.assign_course(course, parents=[parent], deadline=deadline, reason="个案会商")
    return assignment


@pytest.fixture(autouse=True)
def empty_outboxes():
    mail.outbox.clear()
    sms.outbox.clear()


def test_a_course_due_in_three_days_gets_one_email_with_a_link_to_the_next_lesson(
    course, parent, today, django_capture_on_commit_callbacks
):
    assign(course, parent, today + 3 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(today) == 1
    [message] = mail.outbox
    assert message.to == [parent.email]
    assert course.title in message.subject
    assert course.lessons().first().url in message.body


def test_running_the_daily_task_again_sends_nothing_twice(course, parent, today, django_capture_on_commit_callbacks):
    assign(course, parent, today + 2 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today)
        send_due_reminders(today)
        send_due_reminders(today + DAY)
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1


def test_an_overdue_course_gets_its_own_notice_once(course, parent, today, django_capture_on_commit_callbacks):
    assign(course, parent, today + DAY)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today)
        send_due_reminders(today + 2 * DAY)
        send_due_reminders(today + 3 * DAY)
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == ["due_soon", "overdue"]
    assert len(mail.outbox) == 2


def test_a_deadline_further_away_gets_no_reminder_yet(course, parent, today):
    assign(course, parent, today + 4 * DAY)
    assert send_due_reminders(today) == 0


def test_a_finished_course_gets_no_reminder(course, parent, today):
    assignment = assign(course, parent, today - DAY)
    assignment.enrolment.completed_at = timezone.now()
    assignment.enrolment.save()
    assert send_due_reminders(today) == 0


def test_a_parent_without_email_gets_a_text_message(course, today, django_capture_on_commit_callbacks):
    parent = UserFactory(role=Role.PARENT, email="", verified_email=False)
    assign(course, parent, today + DAY)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today)
    assert mail.outbox == []
    [message] = sms.outbox
    assert message.to == parent.phone and course.title in message.body
    assert Reminder.objects.get().channel == Reminder.Channel.SMS


def test_parents_can_turn_off_reminders_before_deadlines_but_not_overdue_notices(course, parent, today):
    set_optional_reminders(parent, False)
    assign(course, parent, today + DAY)
    assert send_due_reminders(today) == 0
    assert send_due_reminders(today + 2 * DAY) == 1
    assert Reminder.objects.get().kind == Reminder.Kind.OVERDUE


def test_the_celery_task_runs_the_daily_reminders(course, parent, today):
    assign(course, parent, today - DAY)
    assert send_assignment_reminders.delay().get() == 1


def test_my_courses_page_turns_optional_reminders_off_and_on(parent_client, parent, catalogue):
    url = catalogue.url + "mine/reminders/"
    page = parent_client.get(catalogue.url + "mine/").content.decode()
    assert 'id="optional-reminders" name="optional_reminders" checked' in page
    parent_client.post(url, {})
    assert 'name="optional_reminders">' in parent_client.get(catalogue.url + "mine/").content.decode()
    parent_client.post(url, {"optional_reminders": "on"})
    assert "checked" in parent_client.get(catalogue.url + "mine/").content.decode()
