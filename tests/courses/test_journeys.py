"""Browser journeys for the course library (Chromium via Playwright, axe-core checks).

A parent on a phone filters the catalogue by their child's age, enrols, completes a text
lesson, plays the demo video lesson (an MP4 the project ships, served with byte ranges),
leaves it and comes back to the saved point, and sees the progress bar move on "my courses".
Each page passes ``check_page`` (no serious or critical axe violation, no sideways scrolling,
no JavaScript error) at desktop and phone sizes.
"""

from __future__ import annotations

import pytest

from courses.models import CoursePage, LessonPage, LessonProgress
from demo.recipes.courses import DEMO_VIDEO_SECONDS, create_demo_courses
from tests.e2e.conftest import PHONE, check_page

pytestmark = pytest.mark.e2e


@pytest.fixture
def course_library(transactional_db, django_db_serialized_rollback):
    catalogue = create_demo_courses()
    course = CoursePage.objects.get(slug="preventing-school-bullying")
    LessonPage.objects.child_of(course).update(minimum_reading_seconds=2)
    video = LessonPage.objects.child_of(course).get(media_duration_seconds__gt=0)  # the demo video lesson
    return {"catalogue": catalogue, "course": course, "video": video}


def video_time(page) -> float:
    return page.evaluate("document.querySelector('video').currentTime")


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
    assert page.locator(".message--success").count() == 1
    page.click(".course-side a.button--primary")
    check_page(page, "courses-lesson")

    page.wait_for_timeout(2500)
    page.click("form button[type=submit]:near(.lesson-footer)")
    first = LessonPage.objects.child_of(course_library["course"]).order_by("path").first()
    assert LessonProgress.objects.get(parent=signed_in_parent, lesson=first).is_completed

    # The demo video (a wagtailmedia item), served by the site with byte ranges, so the player can
    # seek; its thumbnail is the poster.
    ranges = []
    page.on("response", lambda response: "/media-files/" in response.url and ranges.append(response.status))
    page.goto(course_library["video"].url)
    page.set_viewport_size(PHONE)
    page.wait_for_function("() => document.querySelector('video').readyState >= 2")
    assert page.evaluate("document.querySelector('video').duration") > 10
    assert 206 in ranges
    assert "/media-files/" in page.get_attribute("video", "poster")
    check_page(page, "courses-video-lesson")
    page.set_viewport_size(PHONE)
    page.evaluate("v = document.querySelector('video'); v.muted = true; v.play()")
    page.wait_for_timeout(3000)
    page.evaluate("document.querySelector('video').pause()")
    page.wait_for_timeout(1000)
    saved = LessonProgress.objects.get(parent=signed_in_parent, lesson=course_library["video"]).position_seconds
    assert 1.5 < saved < DEMO_VIDEO_SECONDS

    page.goto(course_library["course"].url)  # leave the lesson, then come back
    page.goto(course_library["video"].url)
    page.wait_for_function("() => document.querySelector('video').currentTime > 1")
    assert abs(video_time(page) - saved) < 1.5

    # Watch the rest at double speed (the most the server believes) until it ends.
    page.evaluate("v = document.querySelector('video'); v.muted = true; v.playbackRate = 2; v.play()")
    page.wait_for_function("() => document.querySelector('video').ended", timeout=40_000)
    page.wait_for_timeout(1500)
    assert LessonProgress.objects.get(parent=signed_in_parent, lesson=course_library["video"]).is_completed

    page.goto(course_library["catalogue"].url + "mine/")
    value = int(page.get_attribute(".course-progress__bar", "value"))
    assert 0 < value < 100
    check_page(page, "courses-my-courses")
