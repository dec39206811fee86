"""Browser journeys for the course library (Chromium via Playwright, axe-core checks).

A parent on a phone filters the catalogue by their child's age, enrols, completes a text
lesson, plays an audio lesson, leaves it and comes back to the saved point, and sees the
progress bar move on "my courses". Each page passes ``check_page`` (no serious or critical
axe violation, no sideways scrolling, no JavaScript error) at desktop and phone sizes.
"""

from __future__ import annotations

import base64
import io
import json
import math
import wave

import pytest

from courses.demo import create_demo_courses
from courses.models import CoursePage, LessonPage, LessonProgress
from tests.e2e.conftest import PHONE, check_page

pytestmark = pytest.mark.e2e


AUDIO_SECONDS = 8


def wav_data_url(seconds: int) -> str:
    """A quiet tone as a data: URL, so the player needs no media server (and can seek)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(4000)
        sound.writeframes(bytes(128 + int(20 * math.sin(2 * math.pi * 440 * i / 4000)) for i in range(4000 * seconds)))
    return "data:audio/wav;base64," + base64.b64encode(buffer.getvalue()).decode()


def add_audio_lesson(course: CoursePage) -> LessonPage:
    body = [
        {
            "type": "media",
            "value": {
                "kind": "audio",
                "title": "睡前聊一聊",
                "document": None,
                "url": wav_data_url(AUDIO_SECONDS),
                "poster": None,
                "duration_seconds": AUDIO_SECONDS,
                "transcript": "<p>文字稿</p>",
            },
        }
    ]
    lesson = LessonPage(title="音频：睡前聊一聊", slug="audio", body=json.dumps(body))
    course.add_child(instance=lesson)
    return lesson


@pytest.fixture
def course_library(transactional_db, django_db_serialized_rollback):
    catalogue = create_demo_courses()
    course = CoursePage.objects.get(slug="preventing-school-bullying")
    LessonPage.objects.child_of(course).update(minimum_reading_seconds=2)
    audio = add_audio_lesson(course)
    return {"catalogue": catalogue, "course": course, "audio": audio}


def audio_time(page) -> float:
    return page.evaluate("document.querySelector('audio').currentTime")


def test_a_parent_on_a_phone_finds_enrols_reads_listens_and_resumes(course_library, page, signed_in_parent):
    page.set_viewport_size(PHONE)
    page.goto(course_library["catalogue"].url)
    check_page(page, "courses-catalogue")

    page.set_viewport_size(PHONE)
    page.select_option("#filter-age", "junior")
    page.click("button:has-text('Show courses'), button:has-text('显示课程')")
    assert "age=junior" in page.url
    page.click("text=防范校园欺凌：家长必须知道的事")
    check_page(page, "courses-course")

    page.set_viewport_size(PHONE)
    page.click(".course-enrol button[type=submit]")
    assert page.locator(".course-message--success").count() == 1
    page.click(".course-side a.button--primary")
    check_page(page, "courses-lesson")

    page.wait_for_timeout(2500)
    page.click("form button[type=submit]:near(.lesson-footer)")
    first = LessonPage.objects.child_of(course_library["course"]).order_by("path").first()
    assert LessonProgress.objects.get(parent=signed_in_parent, lesson=first).is_completed

    page.goto(course_library["audio"].url)
    page.set_viewport_size(PHONE)
    page.evaluate("a = document.querySelector('audio'); a.muted = true; a.play()")
    page.wait_for_timeout(3000)
    page.evaluate("document.querySelector('audio').pause()")
    page.wait_for_timeout(1000)
    saved = LessonProgress.objects.get(parent=signed_in_parent, lesson=course_library["audio"]).position_seconds
    assert 1.5 < saved < AUDIO_SECONDS

    page.goto(course_library["course"].url)  # leave the lesson, then come back
    page.goto(course_library["audio"].url)
    page.wait_for_function("document.querySelector('audio').currentTime > 1")
    assert abs(audio_time(page) - saved) < 1.5

    page.evaluate("a = document.querySelector('audio'); a.muted = true; a.play()")
    page.wait_for_function("document.querySelector('audio').ended", timeout=20_000)
    page.wait_for_timeout(1500)
    assert LessonProgress.objects.get(parent=signed_in_parent, lesson=course_library["audio"]).is_completed

    page.goto(course_library["catalogue"].url + "mine/")
    value = int(page.get_attribute(".course-progress__bar", "value"))
    assert 0 < value < 100
    check_page(page, "courses-my-courses")
