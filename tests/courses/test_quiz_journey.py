"""Browser journey for quizzes and certificates (Chromium via Playwright, axe-core, phone size).

A parent on a phone enrols, reads the lessons, fails the quiz, reads the explanations, passes on
the second attempt, downloads the certificate from "my courses", and a visitor verifies it by
its code. The quiz, result and verify pages pass ``check_page`` (no serious or critical axe
violation, no sideways scrolling, no JavaScript error); screenshots go to tests/e2e/screenshots.
The downloaded PDF is read with ``pdftotext`` and rendered to PNG beside the screenshots.
"""

from __future__ import annotations

import subprocess

from django.utils import timezone

import pytest

from courses.models import Certificate, CoursePage, LessonPage, LessonProgress, QuizAttempt, QuizPage
from demo.recipes.courses import create_demo_courses
from tests.conftest import skip_or_fail, which
from tests.e2e.conftest import PHONE, SCREENSHOTS, check_page

pytestmark = pytest.mark.e2e


@pytest.fixture
def quiz_course(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    settings.CERTIFICATE_ROOT = tmp_path / "certificates"
    create_demo_courses()
    course = CoursePage.objects.get(slug="preventing-school-bullying")
    LessonPage.objects.child_of(course).update(minimum_reading_seconds=1)
    return {"course": course, "quiz": QuizPage.objects.child_of(course).get()}


def answer(page, attempt: QuizAttempt, right: bool) -> None:
    for row in attempt.answers.select_related("revision"):
        correct = row.revision.as_object().correct_ids()
        chosen = sorted(correct) if right else [next(o for o in row.option_order if o not in correct)]
        for option in chosen:
            page.check(f"input[name=q{row.position}][value='{option}']")


def test_a_parent_fails_learns_passes_downloads_and_a_visitor_verifies(quiz_course, page, signed_in_parent, tmp_path):
    course, quiz = quiz_course["course"], quiz_course["quiz"]
    page.set_viewport_size(PHONE)
    page.goto(course.url)
    page.click(".course-enrol button[type=submit]")
    for lesson in LessonPage.objects.child_of(course).order_by("path"):
        page.goto(lesson.url)
        if lesson.is_media:  # the demo video: watching it is test_journeys.py's part
            LessonProgress.objects.filter(parent=signed_in_parent, lesson=lesson).update(completed_at=timezone.now())
            continue
        page.wait_for_timeout(1200)
        page.click(".lesson-footer form button[type=submit]")

    page.goto(course.url)
    page.click(f".course-side a[href='{quiz.url}']")
    page.click(".quiz-start")
    page.wait_for_selector(".quiz-form")
    check_page(page, "quiz-attempt")
    first = QuizAttempt.objects.get(parent=signed_in_parent, quiz=quiz)
    html = page.content()
    for row in first.answers.select_related("question"):
        assert row.question.explanation not in html
    page.set_viewport_size(PHONE)
    answer(page, first, right=False)
    page.wait_for_function("() => document.querySelector('[data-save-status]').textContent !== ''")
    page.wait_for_timeout(500)
    page.reload()  # a reload resumes the attempt with the saved answers
    assert page.locator(".quiz-form input:checked").count() == first.question_total
    page.click(".quiz-submit")
    page.wait_for_selector(".quiz-score--failed")
    assert page.locator(".quiz-review__explanation").count() == first.question_total
    check_page(page, "quiz-result-failed")

    page.set_viewport_size(PHONE)
    page.click(".quiz-start")
    page.wait_for_selector(".quiz-form")
    second = QuizAttempt.objects.get(parent=signed_in_parent, quiz=quiz, number=2)
    answer(page, second, right=True)
    page.click(".quiz-submit")
    page.wait_for_selector(".quiz-score--passed")
    check_page(page, "quiz-result-passed")

    certificate = Certificate.objects.get(parent=signed_in_parent, course=course)
    page.goto(course.get_parent().url + "mine/")
    page.set_viewport_size(PHONE)
    with page.expect_download() as download_info:
        page.click(".my-certificate__download")
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    check_pdf(pdf_path, certificate)

    visitor = page.context.browser.new_context(base_url=page.url.split("/courses")[0], viewport=PHONE)
    public = visitor.new_page()
    public.goto("/certificates/verify/")
    public.fill("#certificate-code", certificate.code.lower())
    public.click(".certificate-verify__form button")
    public.wait_for_selector(".certificate-verify__result--valid")
    text = public.inner_text(".certificate-verify__result")
    assert "王妈妈" in text and course.title in text
    check_page(public, "certificate-verify")
    visitor.close()


def check_pdf(path, certificate: Certificate) -> None:
    pdftotext, pdftoppm = which("pdftotext"), which("pdftoppm")
    if pdftotext is None or pdftoppm is None:
        skip_or_fail("pdftotext/pdftoppm are missing (apt-get install poppler-utils)")
    text = subprocess.run([pdftotext, str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "王妈妈" in text and certificate.course_title in text and certificate.code in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-singlefile", str(path), str(SCREENSHOTS / "certificate")], check=True
    )
