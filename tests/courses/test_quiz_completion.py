"""Course completion with quizzes: every lesson complete AND every quiz passed."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

import pytest

from courses import quizzes, services
from courses.models import Enrolment, LessonPage
from tests.factories.courses import QuizPageFactory, question_bank


def finish_lessons(parent, course) -> None:
    for lesson in LessonPage.objects.child_of(course):
        progress = services.open_lesson(parent, lesson)
        progress.first_opened_at = timezone.now() - timedelta(minutes=5)
        progress.save()
        services.mark_text_lesson_done(parent, lesson)


def take(parent, quiz, right: bool):
    attempt = quizzes.start_attempt(parent, quiz)
    answers = {}
    for row in attempt.answers.all():
        correct = row.revision.as_object().correct_ids()
        answers[row.position] = sorted(correct) if right else [next(o for o in row.option_order if o not in correct)]
    return quizzes.submit_attempt(parent, attempt.pk, answers)


@pytest.fixture
def quiz(course):
    question_bank(3)
    return QuizPageFactory(parent=course, question_count=3)


def test_lessons_alone_do_not_complete_a_course_with_a_quiz(parent, course, quiz):
    services.enrol(parent, course)
    finish_lessons(parent, course)
    assert Enrolment.objects.get(parent=parent, course=course).completed_at is None


def test_a_failed_quiz_does_not_complete_the_course(parent, course, quiz):
    services.enrol(parent, course)
    finish_lessons(parent, course)
    take(parent, quiz, right=False)
    assert Enrolment.objects.get(parent=parent, course=course).completed_at is None


def test_passing_the_quiz_after_the_lessons_completes_the_course(
    parent, course, quiz, django_capture_on_commit_callbacks
):
    services.enrol(parent, course)
    finish_lessons(parent, course)
    with django_capture_on_commit_callbacks():
        take(parent, quiz, right=True)
    assert Enrolment.objects.get(parent=parent, course=course).completed_at is not None


def test_passing_the_quiz_first_then_the_last_lesson_completes_the_course(parent, course, quiz):
    services.enrol(parent, course)
    take(parent, quiz, right=True)
    assert Enrolment.objects.get(parent=parent, course=course).completed_at is None
    finish_lessons(parent, course)
    assert Enrolment.objects.get(parent=parent, course=course).completed_at is not None


def test_every_quiz_must_be_passed(parent, course, quiz):
    second = QuizPageFactory(parent=course, question_count=2)
    services.enrol(parent, course)
    finish_lessons(parent, course)
    take(parent, quiz, right=True)
    assert Enrolment.objects.get(parent=parent, course=course).completed_at is None
    take(parent, second, right=True)
    assert Enrolment.objects.get(parent=parent, course=course).completed_at is not None


def test_the_course_page_lists_the_quiz_among_the_lessons_and_offers_it(parent_client, parent, course, quiz):
    services.enrol(parent, course)
    finish_lessons(parent, course)
    html = parent_client.get(course.url).content.decode()
    assert quiz.title in html
    assert f'href="{quiz.url}"' in html
    assert f'class="button button--primary" href="{quiz.url}"' in html  # offered once the lessons are done
