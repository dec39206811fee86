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


def axe_findings(page) -> list[dict]:
    """Every axe violation, of any impact (check_page stops at serious and critical)."""
    from tests.e2e.conftest import AXE_JS

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def check_everywhere(page, name: str) -> None:
    """check_page at both sizes, then no axe finding of any impact at either size."""
    from tests.e2e.conftest import VIEWPORTS, format_violations

    check_page(page, name)
    for viewport in ("phone", "desktop"):
        page.set_viewport_size(VIEWPORTS[viewport])
        findings = axe_findings(page)
        assert not findings, f"{name} at {viewport}:\n{format_violations(findings)}"


def questions_inside_their_cards(page) -> list[str]:
    """The questions whose text is not wholly inside its card's border (a legend on the border line)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.quiz-question')].filter(card => {
            const box = card.getBoundingClientRect();
            const text = card.querySelector('legend').getBoundingClientRect();
            const border = parseFloat(getComputedStyle(card).borderTopWidth);
            return text.top < box.top + border || text.bottom > box.bottom || text.right > box.right;
        }).map(card => card.querySelector('legend').textContent.trim())"""
    )


def test_a_parent_passes_the_quiz_and_downloads_the_certificate_from_the_pass_page(
    quiz_course, page, signed_in_parent, tmp_path
):
    from courses import services

    course, quiz = quiz_course["course"], quiz_course["quiz"]
    services.enrol(signed_in_parent, course)
    now = timezone.now()
    LessonProgress.objects.bulk_create(
        LessonProgress(parent=signed_in_parent, lesson=lesson, first_opened_at=now, completed_at=now)
        for lesson in LessonPage.objects.child_of(course)
    )
    page.set_viewport_size(PHONE)
    page.goto(LessonPage.objects.child_of(course).order_by("path").last().url)
    page.click(".lesson-nav__quiz")  # the last lesson leads to the quiz
    page.click(".quiz-start")
    page.wait_for_selector(".quiz-form")
    attempt = QuizAttempt.objects.get(parent=signed_in_parent, quiz=quiz)
    long_text = "孩子说在学校被同学孤立，不愿意再去上学，" * 4  # a question long enough to wrap on any phone
    page.evaluate("text => document.querySelector('.quiz-question legend').append(' ' + text)", long_text)
    assert page.evaluate("document.querySelector('.quiz-question legend').getClientRects().length") >= 1
    assert page.evaluate("document.querySelector('.quiz-question legend').offsetHeight") > 60  # it wraps
    assert questions_inside_their_cards(page) == []
    page.locator(".quiz-question").first.screenshot(path=str(SCREENSHOTS / "quiz-question-wrapped-phone.png"))
    check_everywhere(page, "quiz-attempt-wrapped")

    page.set_viewport_size(PHONE)
    answer(page, attempt, right=True)
    page.click(".quiz-submit")
    page.wait_for_selector(".quiz-score--passed")
    certificate = Certificate.objects.get(parent=signed_in_parent, course=course)
    assert "恭喜" in page.inner_text(".quiz-score")
    # each 「正确答案」/「您的答案」 tag in the answers stays whole on a phone (one line box each)
    page.set_viewport_size(PHONE)
    assert (
        page.eval_on_selector_all(".quiz-tag", "tags => tags.map(t => t.getClientRects().length)")
        == [1] * page.locator(".quiz-tag").count()
    )
    check_everywhere(page, "quiz-pass-certificate")

    for viewport in ("phone", "desktop"):
        page.set_viewport_size(PHONE if viewport == "phone" else {"width": 1280, "height": 800})
        with page.expect_download() as download_info:
            page.click(".quiz-score .my-certificate__download")
        pdf_path = tmp_path / f"certificate-{viewport}.pdf"
        download_info.value.save_as(pdf_path)
        assert pdf_path.read_bytes().startswith(b"%PDF")
    check_pdf(pdf_path, certificate)
    assert page.is_visible(".quiz-score .my-certificate__share") or not page.evaluate(
        "!!(navigator.share || (navigator.clipboard && window.isSecureContext))"
    )

    page.click(f".quiz-score a[href='/certificates/verify/{certificate.code}/']")
    page.wait_for_selector(".certificate-verify__result--valid")
    assert certificate.code in page.inner_text(".certificate-verify__result")
