"""The demo course library: six Chinese courses with lessons, built idempotently."""

from __future__ import annotations

import io

import pytest

from accounts.demo import create_demo_users
from courses.demo import create_demo_courses
from courses.models import AgeGroup, Assignment, CourseIndexPage, CoursePage, Enrolment, LessonPage, Topic
from tests.factories.home import home_page

pytestmark = pytest.mark.django_db


def test_demo_builds_the_catalogue_under_the_home_page_at_courses():
    catalogue = create_demo_courses()
    assert catalogue.get_parent().specific == home_page()
    assert catalogue.url == "/courses/"
    assert catalogue.live


def test_demo_has_six_published_chinese_courses_with_two_or_three_lessons_each():
    create_demo_courses()
    titles = set(CoursePage.objects.live().values_list("title", flat=True))
    for word in ("亲子沟通", "情绪管理", "防范校园欺凌", "网络安全与防沉迷", "青春期教育", "家庭中的法治教育"):
        assert any(word in title for title in titles), word
    for course in CoursePage.objects.all():
        assert 2 <= course.lessons().count() <= 3
        assert course.topics.exists() and course.age_groups.exists()


def test_demo_lessons_are_text_lessons_with_real_content():
    create_demo_courses()
    for lesson in LessonPage.objects.all():
        assert not lesson.is_media
        assert len(str(lesson.body)) > 200


def test_running_the_demo_twice_changes_nothing():
    create_demo_courses()
    counts = [model.objects.count() for model in (CourseIndexPage, CoursePage, LessonPage, Topic, AgeGroup)]
    out = io.StringIO()
    create_demo_courses(stdout=out)
    assert [model.objects.count() for model in (CourseIndexPage, CoursePage, LessonPage, Topic, AgeGroup)] == counts
    assert "Kept course" in out.getvalue() and "Created" not in out.getvalue()


def test_demo_gives_the_demo_parent_a_course_in_progress_and_an_assigned_one():
    create_demo_users()
    create_demo_courses()
    create_demo_courses()
    assert Enrolment.objects.filter(parent__email="parent@demo.huiai.invalid").count() == 2
    assert Assignment.objects.count() == 1


def test_demo_catalogue_course_and_lesson_pages_render(client):
    create_demo_users()
    catalogue = create_demo_courses()
    assert client.get(catalogue.url).status_code == 200
    course = CoursePage.objects.get(slug="preventing-school-bullying")
    assert "校园欺凌" in client.get(course.url).content.decode()


def test_demo_gives_every_course_a_quiz_with_at_least_ten_chinese_bank_questions():
    from courses.models import Question, QuizPage

    create_demo_courses()
    create_demo_courses()  # idempotent
    for course in CoursePage.objects.all():
        quizzes = QuizPage.objects.child_of(course).live()
        assert quizzes.count() == 1
        quiz = quizzes.get()
        topic_ids = list(quiz.topics.values_list("pk", flat=True))
        pool = Question.objects.filter(live=True, topic_id__in=topic_ids)
        assert pool.count() >= 10
        assert all(any("\u4e00" <= char <= "\u9fff" for char in question.text) for question in pool)
        assert all(any("\u4e00" <= char <= "\u9fff" for char in question.explanation) for question in pool)
        assert quiz.path > course.lessons().last().path  # after the lessons
    assert Question.objects.count() == 60
