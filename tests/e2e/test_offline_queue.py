"""The phone's queue of progress made offline (static/js/offline-queue.js), in Chromium at 360 px
with WeChat's user agent: a 「完成」 the server holds back for reading time is kept with its reason
and sent again; Background Sync sends the queue from the worker; without it, the page's
``online`` event does.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from playwright.sync_api import expect

from .test_installable import assert_holds, enrolled_lesson, wechat  # noqa: F401 - the WeChat phone fixture
from .test_offline_lessons import QUEUE_LENGTH, under_the_worker, wait_until_sent

QUEUE = """async () => await new Promise((resolve) => {
    const open = indexedDB.open("huiai-offline", 1);
    open.onsuccess = () => {
        const request = open.result.transaction("queue").objectStore("queue").getAll();
        request.onsuccess = () => { open.result.close(); resolve(request.result); };
    };
})"""
SYNC_TAGS = """async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.sync ? await registration.sync.getTags() : null;
}"""
NO_BACKGROUND_SYNC = """
    delete window.SyncManager;
    Object.defineProperty(ServiceWorkerRegistration.prototype, "sync", { get: () => undefined });
"""


def progress_of(lesson):
    from courses.models import Enrolment, LessonProgress

    parent = Enrolment.objects.filter(course=lesson.get_parent()).order_by("-pk").first().parent
    return LessonProgress.objects.filter(parent=parent, lesson=lesson)


def saved_and_marked_done_offline(page, live_server):
    """A text lesson saved online (read long enough ago), then marked done offline: one entry queued."""
    lesson = enrolled_lesson(page, live_server)
    under_the_worker(page)
    page.goto(lesson.url)
    progress_of(lesson).update(first_opened_at=timezone.now() - datetime.timedelta(minutes=30))
    page.reload()
    page.locator("[data-offline-save]").get_by_role("button", name="离线保存").click()
    expect(page.locator("[data-offline-status]")).to_contain_text("已保存在这部手机上")

    page.context.set_offline(True)
    page.goto(lesson.url)
    page.get_by_role("button", name="标记为已学完").click()
    expect(page.locator(".lesson-footer [role=status]").first).to_contain_text("联网后")
    assert page.evaluate(QUEUE_LENGTH) == 1
    return lesson


def test_an_early_done_is_kept_with_its_reason_shown_and_sent_again_with_the_next_progress(
    wechat, demo_site, live_server
):
    page = wechat
    lesson = saved_and_marked_done_offline(page, live_server)
    # The server's clock says the reading time is not over (what the phone showed was wrong).
    progress_of(lesson).update(first_opened_at=timezone.now())

    page.context.set_offline(False)
    page.goto(lesson.url)  # online: the queue is sent, and the server answers 409
    for _attempt in range(100):
        entries = page.evaluate(QUEUE)
        if entries and entries[0].get("held"):
            break
        page.wait_for_timeout(100)
    assert len(entries) == 1, entries
    assert "请再花点时间阅读本课时" in entries[0]["held"]["reason"], entries
    assert progress_of(lesson).get().completed_at is None

    page.goto("/offline/saved/")
    note = page.locator(".saved-lessons__held")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("还没有记上")
    expect(note).to_contain_text("请再花点时间阅读本课时")
    assert_holds(page, "saved lessons with a held 「完成」")

    # Time passes; the next progress (here: the lesson opened online again) sends it once more.
    progress_of(lesson).update(first_opened_at=timezone.now() - datetime.timedelta(minutes=30))
    page.goto(lesson.url)
    wait_until_sent(page)
    completed_at = progress_of(lesson).get().completed_at
    assert completed_at is not None
    page.reload()
    assert progress_of(lesson).get().completed_at == completed_at
    page.goto("/offline/saved/")
    expect(page.locator(".saved-lessons__item")).to_have_count(1)
    expect(page.locator(".saved-lessons__held")).to_have_count(0)
    assert not page.js_errors, page.js_errors


def test_a_done_refused_for_good_is_not_sent_again_and_is_shown_until_dismissed(wechat, demo_site, live_server):
    from courses.models import Enrolment

    page = wechat
    lesson = saved_and_marked_done_offline(page, live_server)
    Enrolment.objects.filter(course=lesson.get_parent()).update(status=Enrolment.Status.LEFT)

    page.context.set_offline(False)
    page.goto("/")  # online: the queue is sent, and the server refuses it (the course was left)
    for _attempt in range(100):
        entries = page.evaluate(QUEUE)
        if entries and entries[0].get("refused"):
            break
        page.wait_for_timeout(100)
    assert len(entries) == 1 and "refused" in entries[0] and "held" not in entries[0], entries
    assert "报名" in entries[0]["refused"]["reason"], entries  # the server's own words
    assert progress_of(lesson).get().completed_at is None

    page.reload()  # more pages opened online: what was refused for good is not sent again
    page.goto(lesson.url)
    page.wait_for_timeout(500)
    assert page.evaluate(QUEUE) == entries  # sent again, it would carry a new refusal time

    page.goto("/offline/saved/")
    note = page.locator(".saved-lessons__refused")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("离线时的学习进度未能记录")
    expect(note).to_contain_text("报名")
    expect(page.locator(".saved-lessons__held")).to_have_count(0)
    assert_holds(page, "saved lessons with progress refused for good")
    note.get_by_role("button", name="知道了").click()
    expect(note).to_have_count(0)
    expect(page.locator(".saved-lessons__item")).to_have_count(1)  # the saved lesson itself stays
    assert page.evaluate(QUEUE_LENGTH) == 0
    assert not page.js_errors, page.js_errors


def test_queued_progress_registers_a_background_sync_and_the_worker_sends_it(wechat, demo_site, live_server):
    page = wechat
    lesson = saved_and_marked_done_offline(page, live_server)
    tags = page.evaluate(SYNC_TAGS)
    assert tags is not None, "headless Chromium has no Background Sync"
    assert tags == ["huiai-progress"], tags  # registered, waiting for the connection
    assert page.evaluate(QUEUE_LENGTH) == 1

    # The page itself must not send: only the worker can, on "sync".
    page.evaluate("() => { window.huiaiOfflineQueue.flushQueue = () => Promise.reject(new Error('page sent')); }")
    # Back online, no page reloads: the browser fires "sync" in the worker (dispatched here
    # through DevTools too, as Chromium does when the connection comes back).
    page.context.set_offline(False)
    session = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    session.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    session.send("ServiceWorker.enable")
    for _attempt in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    registration = next(r for r in registrations if not r.get("isDeleted"))
    origin = live_server.url
    session.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": origin,
            "registrationId": registration["registrationId"],
            "tag": "huiai-progress",
            "lastChance": False,
        },
    )
    wait_until_sent(page)
    assert progress_of(lesson).get().completed_at is not None
    assert page.url.endswith(lesson.url)  # the page was not reloaded: the worker sent it
    assert not page.js_errors, page.js_errors


def test_without_background_sync_the_page_sends_the_queue_when_back_online(wechat, demo_site, live_server):
    page = wechat
    page.add_init_script(NO_BACKGROUND_SYNC)
    lesson = saved_and_marked_done_offline(page, live_server)
    assert page.evaluate(SYNC_TAGS) is None

    page.context.set_offline(False)  # the "online" event, no reload
    wait_until_sent(page)
    assert progress_of(lesson).get().completed_at is not None
    assert page.url.endswith(lesson.url)
    assert not page.js_errors, page.js_errors
