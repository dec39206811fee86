"""A pass pays off where the parent is: the pass page and the course page offer the certificate."""

from __future__ import annotations

import pytest

from courses import services
from courses.models import Certificate, Enrolment
from tests.courses.test_quiz_completion import finish_lessons, take
from tests.factories.courses import QuizPageFactory, question_bank


@pytest.fixture(autouse=True)
def certificate_root(settings, tmp_path):
    settings.CERTIFICATE_ROOT = tmp_path / "certificates"


@pytest.fixture
def quiz(course):
    question_bank(3)
    return QuizPageFactory(parent=course, question_count=3, title="结业测验")


def result_page(client, quiz, attempt) -> str:
    response = client.get(quiz.url + quiz.reverse_subpage("result", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_pass_page_celebrates_and_offers_the_certificate(
    parent_client, parent, course, quiz, django_capture_on_commit_callbacks
):
    services.enrol(parent, course)
    finish_lessons(parent, course)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = take(parent, quiz, right=True)
    certificate = Certificate.objects.get(parent=parent, course=course)
    html = result_page(parent_client, quiz, attempt)
    assert "恭喜" in html
    assert f"/certificates/{certificate.code}/download/" in html
    assert f"/certificates/verify/{certificate.code}/" in html
    assert "data-share-url=" in html and "分享" in html


def test_a_pass_with_lessons_left_points_to_the_next_lesson_not_a_certificate(parent_client, parent, course, quiz):
    services.enrol(parent, course)
    attempt = take(parent, quiz, right=True)
    html = result_page(parent_client, quiz, attempt)
    first = course.lessons().first()
    assert "完成课程的其余部分" in html
    assert first.url in html
    assert "/download/" not in html


def test_a_failed_attempt_offers_no_certificate(parent_client, parent, course, quiz):
    services.enrol(parent, course)
    finish_lessons(parent, course)
    attempt = take(parent, quiz, right=False)
    html = result_page(parent_client, quiz, attempt)
    assert "/download/" not in html and "恭喜" not in html


def test_the_course_page_shows_the_certificate_once_earned(
    parent_client, parent, course, quiz, django_capture_on_commit_callbacks
):
    services.enrol(parent, course)
    assert "/certificates/" not in parent_client.get(course.url).content.decode()
    finish_lessons(parent, course)
    with django_capture_on_commit_callbacks(execute=True):
        take(parent, quiz, right=True)
    assert Enrolment.objects.get(parent=parent, course=course).completed_at is not None
    certificate = Certificate.objects.get(parent=parent, course=course)
    html = parent_client.get(course.url).content.decode()
    assert f"/certificates/{certificate.code}/download/" in html
    assert f"/certificates/verify/{certificate.code}/" in html
