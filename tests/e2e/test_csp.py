"""The Content-Security-Policy in real Chromium: no page raises a violation, and their scripts still run.

Every ``securitypolicyviolation`` event (collected by a script Chromium runs before the page's
own) and every console error mentioning the policy fails the test.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TIMEOUT_MS

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


def watch(context):
    page = context.new_page()
    page.add_init_script(COLLECT_VIOLATIONS)
    page.console_problems = []
    page.on(
        "console",
        lambda message: (
            page.console_problems.append(message.text)
            if message.type == "error"
            and ("Content Security Policy" in message.text or "Permissions-Policy" in message.text)
            else None
        ),
    )
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def assert_clean(page, what: str) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    violations = page.evaluate("window.__cspViolations || []")
    assert not violations, f"{what}: CSP violations {violations}"
    assert not page.console_problems, f"{what}: console errors {page.console_problems}"
    assert not page.js_errors, f"{what}: JavaScript errors {page.js_errors}"


@pytest.fixture
def browser_context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def sign_in_context(context, live_server, user) -> None:
    from django.conf import settings
    from django.test import Client

    from tests.factories.accounts import sign_in_fully

    client = Client()
    sign_in_fully(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_public_pages_raise_no_violation_and_their_scripts_run(browser_context, demo_site):
    from courses.models import CoursePage, LessonPage
    from workstations.models import WorkstationIndexPage

    page = watch(browser_context)
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "camera=()" in response.headers["permissions-policy"]
    assert_clean(page, "home page")

    course = CoursePage.objects.live().first()
    page.goto(course.url)
    assert_clean(page, "course page")

    video_lessons = [lesson for lesson in LessonPage.objects.live().specific() if "<video" in str(lesson.body)]
    lesson = video_lessons[0] if video_lessons else LessonPage.objects.live().first()
    page.goto(lesson.url)
    assert_clean(page, "lesson page")

    page.goto("/search/")
    page.fill("input[name='q']", "欺凌")
    page.wait_for_timeout(800)  # the suggestions script fetches /search/suggest/ while typing
    # Wait for the navigation Enter starts: "load" alone can be the search form's page, still
    # there for a moment after Enter, and the next evaluate() then loses its context.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_clean(page, "search page")

    directory = WorkstationIndexPage.objects.live().first()
    page.goto(directory.url)
    page.wait_for_selector(".leaflet-container", state="attached")  # Leaflet drew the map
    assert page.locator(".leaflet-marker-icon").count() > 0
    assert_clean(page, "workstation map")

    page.goto("/schools/report/")
    assert_clean(page, "anonymous report form")

    page.goto("/accounts/login/")
    assert_clean(page, "sign-in")


def test_the_admin_raises_no_violation(browser_context, live_server, demo_site):
    from alliance.models import AllianceEventPage
    from courses.models import CoursePage
    from tests.factories.accounts import UserFactory, add_totp

    admin = UserFactory(is_superuser=True, is_staff=True)
    add_totp(admin)
    sign_in_context(browser_context, live_server, admin)
    page = watch(browser_context)

    page.goto("/admin/")
    page.wait_for_selector("#wagtail-sidebar, [data-wagtail-sidebar], .sidebar", state="attached")
    assert_clean(page, "admin dashboard")

    course = CoursePage.objects.live().first()
    page.goto(f"/admin/pages/{course.pk}/edit/")
    page.wait_for_selector("form[data-edit-form], #page-edit-form, form", state="attached")
    assert_clean(page, "page editor")

    event = AllianceEventPage.objects.first()
    if event is not None:  # date-time pickers and inline panels: Wagtail's inline scripts
        page.goto(f"/admin/pages/{event.pk}/edit/")
        assert_clean(page, "event editor")
