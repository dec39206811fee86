"""「离线保存」 inside WeChat at 360 px: save a lesson, read it offline, send the progress once.

The phone is WeChat's in-app browser (X5/XWEB user agent, 360 px, touch); Playwright's
``context.set_offline`` cuts the network. axe must find nothing, whatever the impact.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from playwright.sync_api import expect

from .test_installable import assert_holds, enrolled_lesson, wechat  # noqa: F401 - the WeChat phone fixture

SAVED_CACHES = "async () => (await caches.keys()).filter((name) => name.startsWith('huiai-saved-'))"
SAVED_RECORDS = """async () => await new Promise((resolve) => {
    const open = indexedDB.open("huiai-offline", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("saved", { keyPath: "url" });
    open.onsuccess = () => {
        const request = open.result.transaction("saved").objectStore("saved").count();
        request.onsuccess = () => { open.result.close(); resolve(request.result); };
    };
})"""
QUEUE_LENGTH = """async () => await new Promise((resolve) => {
    const open = indexedDB.open("huiai-offline", 1);
    open.onsuccess = () => {
        const request = open.result.transaction("queue").objectStore("queue").count();
        request.onsuccess = () => { open.result.close(); resolve(request.result); };
    };
})"""


def wait_until_sent(page) -> None:
    """Until the phone's queue is empty (the page sends it on load when online)."""
    for _attempt in range(100):
        if page.evaluate(QUEUE_LENGTH) == 0:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the queued progress was not sent")


def under_the_worker(page) -> None:
    page.goto("/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")


def test_a_saved_lesson_reads_offline_and_its_progress_is_recorded_once_back_online(wechat, demo_site, live_server):
    from courses.models import LessonProgress

    page = wechat
    lesson = enrolled_lesson(page, live_server)
    from courses.models import Enrolment

    parent = Enrolment.objects.filter(course=lesson.get_parent()).order_by("-pk").first().parent
    under_the_worker(page)

    page.goto(lesson.url)
    # Opened long enough ago that the reading time is over when the parent finishes offline.
    LessonProgress.objects.filter(parent=parent, lesson=lesson).update(
        first_opened_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    page.reload()
    panel = page.locator("[data-offline-save]")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("测验需要联网")
    panel.get_by_role("button", name="离线保存").click()
    expect(panel.locator("[data-offline-status]")).to_contain_text("已保存在这部手机上")
    assert_holds(page, "lesson with 离线保存")

    page.context.set_offline(True)
    page.goto(lesson.url)
    expect(page.locator("h1")).to_have_text(lesson.title)
    expect(page.locator(".lesson-body")).not_to_be_empty()
    expect(page.get_by_role("button", name="朗读")).to_be_visible()
    page.get_by_role("button", name="标记为已学完").click()
    expect(page.locator(".lesson-footer [role=status]").first).to_contain_text("联网后")
    assert page.evaluate(QUEUE_LENGTH) == 1
    assert LessonProgress.objects.get(parent=parent, lesson=lesson).completed_at is None
    assert_holds(page, "saved lesson offline")

    page.goto("/offline/saved/")
    item = page.locator(".saved-lessons__item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(lesson.title)
    expect(item).to_contain_text("MB")
    bytes_kept = page.evaluate(
        """async () => await new Promise((resolve) => {
            const open = indexedDB.open("huiai-offline", 1);
            open.onsuccess = () => {
                const request = open.result.transaction("saved").objectStore("saved").getAll();
                request.onsuccess = () => { open.result.close(); resolve(request.result[0].bytes); };
            };
        })"""
    )
    print(f"bytes kept for the lesson: {bytes_kept}")
    assert bytes_kept > 1000
    assert_holds(page, "saved lessons offline")

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
    progress = LessonProgress.objects.get(parent=parent, lesson=lesson)
    assert progress.completed_at is not None, answers
    completed_at = progress.completed_at
    page.reload()  # nothing left to send: recorded once
    assert page.evaluate(QUEUE_LENGTH) == 0
    assert LessonProgress.objects.get(parent=parent, lesson=lesson).completed_at == completed_at
    expect(page.locator(".lesson-status--done")).to_be_visible()

    page.goto("/offline/saved/")
    page.get_by_role("button", name=f"从这部手机上删除“{lesson.title}”").click()
    expect(page.locator(".saved-lessons__item")).to_have_count(0)
    expect(page.locator("[data-saved-empty]")).to_be_visible()
    assert not page.js_errors, page.js_errors


def test_signing_out_removes_the_saved_lessons_from_the_phone(wechat, demo_site, live_server):
    page = wechat
    lesson = enrolled_lesson(page, live_server)
    under_the_worker(page)
    page.goto(lesson.url)
    page.locator("[data-offline-save]").get_by_role("button", name="离线保存").click()
    expect(page.locator("[data-offline-status]")).to_contain_text("已保存在这部手机上")
    assert len(page.evaluate(SAVED_CACHES)) == 1

    if page.locator(".main-nav__toggle").is_visible():
        page.locator(".main-nav__toggle").click()
    with page.expect_navigation():
        page.locator("form.account-nav__logout button").click()
    page.wait_for_load_state("load")
    assert page.evaluate(SAVED_CACHES) == []

    assert page.evaluate(SAVED_RECORDS) == 0
