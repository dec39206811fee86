"""「离线保存」 of a whole course, and a recording listened to offline, inside WeChat at 360 px.

The phone is WeChat's in-app browser (user agent, 360 px, touch); Playwright's ``set_offline``
cuts the network; axe must find nothing, whatever the impact (``assert_holds``).
"""

from __future__ import annotations

import datetime
import io
import json
import math
import struct
import wave

import factory
from playwright.sync_api import expect

from .test_installable import assert_holds, enrolled_lesson, wechat  # noqa: F401 - the WeChat phone fixture
from .test_offline_lessons import QUEUE_LENGTH, under_the_worker, wait_until_sent
from .test_offline_queue import QUEUE

AUDIO_SECONDS = 6
SAVED_URLS = """async () => await new Promise((resolve) => {
    const open = indexedDB.open("huiai-offline", 1);
    open.onsuccess = () => {
        const request = open.result.transaction("saved").objectStore("saved").getAll();
        request.onsuccess = () => { open.result.close(); resolve(request.result.map((r) => r.url)); };
    };
})"""


def spoken_tone(seconds: int = AUDIO_SECONDS) -> bytes:
    """A small WAV recording (8 kHz, mono, 8-bit: 440 Hz), made here rather than shipped."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(1)
        recording.setframerate(8000)
        frames = (int(128 + 60 * math.sin(2 * math.pi * 440 * n / 8000)) for n in range(8000 * seconds))
        recording.writeframes(struct.pack(f"{8000 * seconds}B", *frames))
    return buffer.getvalue()


def audio_lesson_in(course):
    from tests.factories.courses import LessonPageFactory
    from tests.factories.media import MediaItemFactory

    item = MediaItemFactory(
        audio=True,
        title="听一听：孩子说不想上学时",
        duration=AUDIO_SECONDS,
        file=factory.django.FileField(filename="listen.wav", data=spoken_tone()),
    )
    body = [
        {
            "type": "media",
            "value": {
                "kind": "audio",
                "title": "听一听：孩子说不想上学时",
                "media": item.pk,
                "document": None,
                "url": "",
                "poster": None,
                "duration_seconds": None,
                "transcript": "<p>孩子说不想上学时，先听他说完。</p>",
            },
        },
        {"type": "paragraph", "value": "<p>听完录音，想一想您会怎么回应。</p>"},
    ]
    return LessonPageFactory(parent=course, title="听一听", slug="listen-offline", body=json.dumps(body))


def test_a_whole_course_saved_offline_opens_its_second_lesson_without_a_connection(wechat, demo_site, live_server):
    page = wechat
    first = enrolled_lesson(page, live_server)
    course = first.get_parent().specific
    lessons = list(course.lessons())
    assert len(lessons) >= 2, "the demo course needs two lessons"
    second = lessons[1]
    under_the_worker(page)

    page.goto(course.url)
    panel = page.locator("[data-offline-save]")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("本课程的每一课时")
    panel.get_by_role("button", name="离线保存").click()
    without_videos = panel.get_by_role("button", name="不保存视频")
    status = panel.locator("[data-offline-status]")
    expect(without_videos.or_(status.filter(has_text="已保存在这部手机上"))).to_be_visible()
    if without_videos.is_visible():
        without_videos.click()
    expect(status).to_contain_text("已保存在这部手机上")
    assert_holds(page, "course with 离线保存")
    assert sorted(page.evaluate(SAVED_URLS)) == sorted(lesson.url for lesson in lessons)

    page.context.set_offline(True)
    page.goto(second.url)
    expect(page.locator("h1")).to_have_text(second.title)
    expect(page.locator(".lesson-body")).not_to_be_empty()
    assert_holds(page, "second lesson of a saved course, offline")

    page.goto("/offline/saved/")
    expect(page.locator(".saved-lessons__item")).to_have_count(len(lessons))
    assert_holds(page, "saved lessons of a course, offline")
    page.context.set_offline(False)
    assert not page.js_errors, page.js_errors


def test_a_recording_saved_offline_plays_from_the_phone_and_its_listening_is_recorded_once(
    wechat, demo_site, live_server
):
    from courses import services
    from courses.models import Enrolment, LessonProgress

    page = wechat
    first = enrolled_lesson(page, live_server)
    course = first.get_parent().specific
    lesson = audio_lesson_in(course)
    parent = Enrolment.objects.filter(course=course).order_by("-pk").first().parent
    under_the_worker(page)

    page.goto(lesson.url)
    audio = page.locator("audio.lesson-media")
    expect(audio).to_have_count(1)
    src = audio.get_attribute("src")
    panel = page.locator("[data-offline-save]")
    panel.get_by_role("button", name="离线保存").click()
    expect(panel.locator("[data-offline-status]")).to_contain_text("已保存在这部手机上")
    # Saved long enough ago that listening to the whole recording is plausible to the server.
    progress = services.open_lesson(parent, lesson)
    LessonProgress.objects.filter(pk=progress.pk).update(
        first_opened_at=progress.first_opened_at - datetime.timedelta(minutes=5)
    )

    page.context.set_offline(True)
    from_the_phone: list[str] = []
    page.on(
        "response",
        lambda response: from_the_phone.append(response.url) if response.from_service_worker else None,
    )
    page.goto(lesson.url)
    expect(page.locator("h1")).to_have_text(lesson.title)
    played = page.evaluate(
        """async () => {
            const audio = document.querySelector("audio.lesson-media");
            const ready = audio.readyState >= 3 ? Promise.resolve("canplay") : new Promise((resolve, reject) => {
                audio.addEventListener("canplay", () => resolve("canplay"), { once: true });
                const failed = () => reject(new Error("media error " + (audio.error && audio.error.code)));
                audio.addEventListener("error", failed, { once: true });
            });
            const state = await ready;
            const ended = new Promise((resolve) => audio.addEventListener("ended", resolve, { once: true }));
            audio.muted = true;
            await audio.play();
            await ended;
            return { state, currentTime: audio.currentTime, duration: audio.duration };
        }"""
    )
    assert played["state"] == "canplay"
    assert played["currentTime"] >= AUDIO_SECONDS - 0.5, played
    assert any(src in url for url in from_the_phone), from_the_phone
    for _attempt in range(50):
        if page.evaluate(QUEUE_LENGTH) >= 1:
            break
        page.wait_for_timeout(100)
    assert page.evaluate(QUEUE_LENGTH) >= 1  # what was listened to waits on the phone
    assert LessonProgress.objects.get(pk=progress.pk).watched_seconds == 0
    assert_holds(page, "audio lesson offline")

    queued = page.evaluate(QUEUE)
    page.context.set_offline(False)
    answers: list[str] = []
    page.on(
        "response",
        lambda response: (
            answers.append(f"{response.status} {response.text()}") if "offline-progress" in response.url else None
        ),
    )
    page.goto(lesson.url)  # online again: the queue is sent
    wait_until_sent(page)
    recorded = LessonProgress.objects.get(pk=progress.pk)
    assert recorded.completed_at is not None, (recorded.watched_seconds, queued, answers)
    assert 0.9 * AUDIO_SECONDS <= recorded.watched_seconds <= AUDIO_SECONDS
    page.reload()  # nothing left to send, and a replay would add nothing: recorded once
    assert page.evaluate(QUEUE_LENGTH) == 0
    again = LessonProgress.objects.get(pk=progress.pk)
    assert (again.completed_at, again.watched_seconds) == (recorded.completed_at, recorded.watched_seconds)
    assert not page.js_errors, page.js_errors
