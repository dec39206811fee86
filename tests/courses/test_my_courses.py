"""我的课程: enrolments with progress, next lesson, deadlines (overdue first) and finished ones."""

from __future__ import annotations

import datetime

from django.utils import timezone

import pytest

from courses import services
from tests.factories.courses import course_with_lessons

DAY = datetime.timedelta(days=1)


@pytest.fixture
def my_courses_url(catalogue):
    return catalogue.url + "mine/"


def finish(parent, course):
    for lesson in course.lessons():
        progress = services.open_lesson(parent, lesson)
        progress.first_opened_at = timezone.now() - datetime.timedelta(hours=1)
        progress.save()
        services.mark_text_lesson_done(parent, lesson)


def test_my_courses_asks_an_anonymous_visitor_to_sign_in(client, my_courses_url):
    response = client.get(my_courses_url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_courses_without_enrolments_points_to_the_library(parent_client, my_courses_url, catalogue):
    response = parent_client.get(my_courses_url)
    assert response.context["in_progress"] == []
    assert f'href="{catalogue.url}"' in response.content.decode()


def test_my_courses_shows_progress_and_the_next_lesson(parent_client, parent, my_courses_url, catalogue):
    course = course_with_lessons(3, title="情绪管理")
    services.enrol(parent, course)
    first, second, _third = course.lessons()
    progress = services.open_lesson(parent, first)
    progress.first_opened_at -= datetime.timedelta(hours=1)
    progress.save()
    services.mark_text_lesson_done(parent, first)
    response = parent_client.get(my_courses_url)
    [summary] = response.context["in_progress"]
    assert (summary.percent, summary.next_lesson) == (33, second)
    html = response.content.decode()
    assert 'value="33"' in html and f'href="{second.url}"' in html


def test_overdue_assigned_courses_come_first_and_stand_out(parent_client, parent, my_courses_url, catalogue):
    open_course = course_with_lessons(1, title="自选课程")
    later = course_with_lessons(1, title="下月截止")
    overdue = course_with_lessons(1, title="已经逾期")
    services.enrol(parent, open_course)
    today = timezone.localdate()
    services.assign_course(later, parents=[parent], deadline=today + 30 * DAY, reason="学校安排")
    services.assign_course(overdue, parents=[parent], deadline=today - DAY, reason="个案会商")
    response = parent_client.get(my_courses_url)
    assert [summary.course.title for summary in response.context["in_progress"]] == ["已经逾期", "下月截止", "自选课程"]
    html = response.content.decode()
    assert html.count("my-course--overdue") == 1
    assert "course-deadline--overdue" in html
    assert (today - DAY).isoformat() in html


def test_finished_courses_are_listed_apart(parent_client, parent, my_courses_url, catalogue):
    done = course_with_lessons(2, title="已完成的课")
    services.enrol(parent, done)
    finish(parent, done)
    response = parent_client.get(my_courses_url)
    assert response.context["in_progress"] == []
    assert [summary.course for summary in response.context["finished"]] == [done]


def test_a_finished_assigned_course_is_not_overdue(parent_client, parent, my_courses_url, catalogue):
    course = course_with_lessons(1)
    services.assign_course(course, parents=[parent], deadline=timezone.localdate() - DAY, reason="个案会商")
    finish(parent, course)
    response = parent_client.get(my_courses_url)
    assert "my-course--overdue" not in response.content.decode()
    assert len(response.context["finished"]) == 1


def test_left_courses_are_not_listed_and_waitlisted_ones_are(
    parent_client, parent, other_parent, my_courses_url, catalogue
):
    left = course_with_lessons(1, title="离开的课")
    full = course_with_lessons(1, title="满员的课", capacity=1)
    services.enrol(parent, left)
    services.leave(parent, left)
    services.enrol(other_parent, full)
    services.enrol(parent, full)
    response = parent_client.get(my_courses_url)
    assert response.context["in_progress"] == []
    assert [summary.course for summary in response.context["waitlisted"]] == [full]


def test_the_catalogue_links_to_my_courses_for_signed_in_parents(parent_client, my_courses_url, catalogue):
    assert f'href="{my_courses_url}"' in parent_client.get(catalogue.url).content.decode()
