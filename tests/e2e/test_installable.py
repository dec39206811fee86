"""Journeys inside WeChat at 360 px: 长辈模式 (elder mode) and the installable, offline-aware site.

Every page here is checked with axe for findings of ANY impact (not only serious/critical),
and for sideways scrolling at 360 px, at 320 px and at 200 % zoom (a 1280 px window zoomed to
200 % lays out as 640 CSS px; a 360 px phone at 200 % as 180 CSS px is not a width any phone
shows, so 320 px stands for the narrowest).
"""

from __future__ import annotations

import json

from django.test import Client

import pytest
from playwright.sync_api import expect

from .conftest import TIMEOUT_MS, all_axe_findings, format_violations, horizontal_overflow

# WeChat's in-app browser on Android (X5 / XWEB core), as it announces itself.
WECHAT_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 "
    "MMWEBSDK/20240301 MMWEBID/1234 MicroMessenger/8.0.48.2580(0x28003035) WeChat/arm64 "
    "Weixin NetType/4G Language/zh_CN ABI/arm64"
)
WECHAT = {"width": 360, "height": 740}


@pytest.fixture
def wechat(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=WECHAT,
        user_agent=WECHAT_USER_AGENT,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        is_mobile=True,
        has_touch=True,
        service_workers="allow",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.set_offline(False)
    page.goto("about:blank")
    context.close()


def sign_in(page, live_server, user) -> None:
    """Gives the browser a signed-in session for ``user`` (the sign-in journey is tested elsewhere)."""
    from django.conf import settings

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def enrolled_lesson(page, live_server):
    """A lesson of the demo, opened by a parent enrolled in its course."""
    from courses import services
    from courses.models import LessonPage
    from tests.factories.accounts import UserFactory

    lesson = LessonPage.objects.live().public().first()
    parent = UserFactory()
    services.enrol(parent, lesson.get_parent().specific)
    sign_in(page, live_server, parent)
    return lesson


def assert_holds(page, name: str) -> None:
    problems = []
    for width, height in ((360, 740), (320, 640), (640, 400)):
        page.set_viewport_size({"width": width, "height": height})
        overflow = horizontal_overflow(page)
        if overflow > 0:
            problems.append(f"{name} scrolls sideways by {overflow}px at {width}px")
    page.set_viewport_size(WECHAT)
    findings = all_axe_findings(page)
    if findings:
        problems.append(f"{name}: axe findings:\n{format_violations(findings)}")
    assert not problems, "\n".join(problems)


def test_elder_mode_is_switched_on_remembered_and_readable(wechat, demo_site, live_server):
    page = wechat
    page.goto("/")
    assert_holds(page, "home (standard)")
    expect(page.locator(".elder-choices")).to_have_count(0)

    page.get_by_role("button", name="长辈模式（大字）").click()
    page.wait_for_load_state("load")

    body = page.evaluate(
        "() => { const s = getComputedStyle(document.body);"
        " return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }"
    )
    assert body[0] >= 20 and body[1] >= 1.3 * body[0], f"body text {body}"
    choices = page.locator(".elder-choices__choice")
    expect(choices).to_have_count(3)
    for index, label in enumerate(("继续学习", "找课程", "打电话求助")):
        expect(choices.nth(index)).to_contain_text(label)
    # The three choices are the first thing in the page's main content.
    first_link = page.locator("main a").first
    expect(first_link).to_contain_text("继续学习")
    for target in page.locator(".elder-choices__choice, .elder-switch__button, .main-nav__toggle").all():
        if target.is_visible():
            box = target.bounding_box()
            assert box and box["height"] >= 48, f"tap target {target.inner_text()!r} is {box}"
    assert_holds(page, "home (elder mode)")

    page.reload()
    expect(page.locator(".elder-choices__choice")).to_have_count(3)
    expect(page.get_by_role("button", name="回到普通模式")).to_be_visible()

    # Signing in keeps it (the browser's cookie), and the switch now saves it on the account too.
    lesson = enrolled_lesson(page, live_server)
    page.goto(lesson.url)
    read_aloud = page.get_by_role("button", name="朗读")
    expect(read_aloud).to_be_visible()
    assert_holds(page, "lesson (elder mode)")

    page.get_by_role("button", name="回到普通模式").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name="长辈模式（大字）")).to_be_visible()
    assert not page.js_errors, page.js_errors


def test_read_aloud_stays_hidden_where_the_browser_cannot_speak(wechat, demo_site, live_server):
    page = wechat
    lesson = enrolled_lesson(page, live_server)
    page.add_init_script("Object.defineProperty(window, 'speechSynthesis', {value: undefined});")
    page.goto(lesson.url)
    expect(page.locator("h1")).to_have_text(lesson.title)
    expect(page.locator("[data-read-aloud]")).to_be_hidden()


def test_the_site_registers_its_worker_and_shows_the_offline_page_without_a_network(wechat, demo_site):
    page = wechat
    page.goto("/")
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + "/"
    page.reload()  # now under the worker's control
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")

    page.context.set_offline(True)
    page.goto("/a-page-never-opened/")
    expect(page.locator("h1")).to_have_text("您现在没有联网")
    expect(page.locator(".site-header")).to_be_visible()
    assert_holds(page, "offline page")

    page.goto("/")  # opened before: the kept copy
    expect(page.locator(".site-header")).to_be_visible()
    page.context.set_offline(False)


def test_the_worker_never_keeps_signed_in_case_admin_or_cookie_setting_responses(wechat, demo_site, live_server):
    """``mayKeep`` from the served worker, run in Chromium against real responses of the site."""
    from tests.factories.accounts import UserFactory

    page = wechat
    page.goto("/offline/")
    page.add_script_tag(url="/service-worker.js")

    def may_keep(url: str) -> bool:
        return page.evaluate(
            """async (url) => {
                const request = new Request(url);
                const response = await fetch(request, {credentials: "include"});
                return self.huiaiServiceWorker.mayKeep(request, response);
            }""",
            url,
        )

    assert may_keep("/") is True
    assert may_keep("/offline/") is True
    assert may_keep("/admin/") is False
    assert may_keep("/schools/cases/1/") is False
    assert may_keep("/schools/report/") is False
    # An anonymous page whose form hands this visitor a CSRF cookie: Set-Cookie, so private.
    assert may_keep("/accounts/login/") is False
    assert (
        page.evaluate(
            """() => self.huiaiServiceWorker.mayKeep(new Request("https://example.com/"), new Response("x"))"""
        )
        is False
    )
    assert (
        page.evaluate(
            """() => self.huiaiServiceWorker.mayKeep(new Request("/", {method: "POST"}), new Response("x"))"""
        )
        is False
    )

    # Signed in, the same public page is private: the worker must not keep it.
    sign_in(page, live_server, UserFactory())
    assert may_keep("/") is False
    assert may_keep("/offline/") is False


def test_the_manifest_is_installable(wechat, demo_site):
    page = wechat
    page.goto("/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = json.loads(page.evaluate("async (href) => (await fetch(href)).text()", href))
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert any(icon["sizes"] == "512x512" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert page.evaluate("async (src) => (await fetch(src)).status", icon["src"]) == 200
