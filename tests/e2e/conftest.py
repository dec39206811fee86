"""Browser journeys: Playwright (Python) driving Debian's Chromium against pytest-django's live_server.

Every journey page is checked the same way by ``check_page``: axe-core finds no violation of
impact "serious" or "critical", the page does not scroll sideways, and a screenshot is saved to
``tests/e2e/screenshots/<name>-<desktop|phone>.png`` (gitignored).

The live server runs in this process, in a thread: what the site "sends" (``accounts.sms.outbox``,
``django.core.mail.outbox``) is readable from the test. Playwright's sync API runs an event loop in
this thread, so Django's async-safety check must be relaxed for the ORM calls the tests make.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import AXE_JS, CHROMIUM, chromium_missing, skip_or_fail

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# BCP 47 tags on <html lang>: "zh-Hans" (Django's "zh-hans" in its canonical case) or "en".
CHINESE = re.compile(r"^zh-hans$", re.IGNORECASE)
ENGLISH = re.compile(r"^en(-|$)", re.IGNORECASE)
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(items):
    """Every test in this folder is a browser journey: mark it ``e2e``."""
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


_PLAYWRIGHT: dict = {}


def shared_browser():
    """One Playwright and one Chromium per test process, however many modules ask for them.

    Playwright's sync API refuses to start twice in one thread, and other test folders import
    the ``browser`` fixture from here (which makes a second fixture of the same name), so the
    fixture hands out this one instance. ``pytest_sessionfinish`` below closes it.
    """
    if "browser" not in _PLAYWRIGHT:
        from django.db import connections

        from playwright.sync_api import sync_playwright

        # Django keeps database connections in context-local storage, and Playwright's sync
        # API makes the tests run in another context from here on: they get new connection
        # objects, without the snapshot that serialized rollback restores (taken when the test
        # database was set up). Carry the snapshot over, or every transactional test after the
        # first finds no Wagtail root page and no role groups.
        snapshots = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
        playwright = sync_playwright().start()
        for alias, contents in snapshots.items():
            connections[alias]._test_serialized_contents = contents
        _PLAYWRIGHT["playwright"] = playwright
        _PLAYWRIGHT["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
    return _PLAYWRIGHT["browser"]


def pytest_sessionfinish(session):
    browser = _PLAYWRIGHT.pop("browser", None)
    playwright = _PLAYWRIGHT.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture(scope="session")
def browser(django_db_setup):
    reason = chromium_missing()
    if reason:
        skip_or_fail(reason)
    return shared_browser()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) at desktop size, bound to the live server."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    # Let late requests (a media player's last progress beacon) finish before the database flush.
    page.goto("about:blank")
    page.wait_for_timeout(300)
    context.close()


@pytest.fixture
def demo_site(transactional_db, django_db_serialized_rollback):
    """The demo content (a HomePage as the site root), as ``make demo`` loads it.

    ``django_db_serialized_rollback`` restores what the migrations created (Wagtail's root
    page, the role groups) before each journey, since the live server needs a
    transactional database that is flushed after every test. The first journey of a process
    runs ``load_demo_content`` (with the search index); the others restore its snapshot
    (tests/factories/demo.py) instead of building it again.
    """
    from tests.factories.demo import load_demo

    load_demo()


@pytest.fixture
def demo_site_with_users(transactional_db, django_db_serialized_rollback):
    """``demo_site`` with the demo users of every role (``load_demo_content --with-demo-users``)."""
    from tests.factories.demo import load_demo

    load_demo("--with-demo-users", "--skip-index")


def demo_user(role):
    """The demo user of ``role`` (``demo_site_with_users``), with what that role needs (a school,
    a station, a court) already set up by the demo."""
    from accounts.models import User

    user = (
        User.objects.filter(groups__name=role.group_name, username__startswith="demo-", is_active=True)
        .order_by("username")
        .first()
    )
    assert user is not None, f"no demo user with the role {role}"
    return user


@pytest.fixture
def sms_outbox():
    from accounts import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


# --- Page checks ---------------------------------------------------------------------------


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def all_axe_findings(page) -> list[dict]:
    """axe-core's violations of every impact (minor and moderate too), with every rule axe enables
    by default: the WCAG ones and the best practices (heading-order, landmark-*, region,
    page-has-heading-one). One axe run per call; axe is injected on first use."""
    if not AXE_JS.is_file():
        skip_or_fail(f"axe-core is missing: {AXE_JS} (run `npm install` or `make test`)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as an inline <script>: the site's
        # Content-Security-Policy (no inline script) would block a script tag.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return json.loads(
        page.evaluate(
            """async () => JSON.stringify((await axe.run(document, {resultTypes: ["violations"]})).violations)"""
        )
    )


def axe_violations(page) -> list[dict]:
    """axe-core's violations of impact "serious" or "critical"."""
    return [v for v in all_axe_findings(page) if v.get("impact") in BLOCKING_IMPACTS]


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it does not scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def check_page(page, name: str, viewports=("desktop", "phone")) -> None:
    """axe (serious/critical), no sideways scroll, no JavaScript error, and a screenshot per viewport.

    Leaves the page at desktop size.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for viewport in viewports:
        page.set_viewport_size(VIEWPORTS[viewport])
        page.wait_for_load_state("load")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport}.png"), full_page=True)
        overflow = horizontal_overflow(page)
        if overflow > 0:
            problems.append(f"{name} at {viewport} scrolls sideways by {overflow}px ({page.url})")
        violations = axe_violations(page)
        if violations:
            problems.append(
                f"{name} at {viewport} ({page.url}) has {len(violations)} serious/critical "
                f"accessibility violation(s):\n{format_violations(violations)}"
            )
    page.set_viewport_size(DESKTOP)
    errors = getattr(page, "js_errors", [])
    if errors:
        problems.append(f"JavaScript errors so far (at {page.url}): {errors}")
    assert not problems, "\n\n".join(problems)


# --- Helpers the journeys share ------------------------------------------------------------

CODE_PATTERN = re.compile(r"(?<![A-Za-z0-9])([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)(?![A-Za-z0-9])")


def code_from_sms(body: str) -> str:
    """The verification code in an SMS body (allauth codes look like ``AB3D-EF7H`` or ``123456``)."""
    candidates = [match for match in CODE_PATTERN.findall(body) if any(c.isdigit() or c.isupper() for c in match)]
    assert candidates, f"no code found in the SMS: {body!r}"
    return max(candidates, key=len)


def submit_form_with(page, field_name: str) -> None:
    """Clicks the submit button of the form holding the field named ``field_name``."""
    form = page.locator(f"form:has([name='{field_name}'])").first
    form.locator("button[type='submit'], input[type='submit'], button:not([type])").first.click()


def session_user_id(page, live_server) -> str | None:
    """The id of the user the browser's session is signed in as, read from the server side."""
    from importlib import import_module

    from django.conf import settings

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806

    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies(live_server.url)}
    key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    return SessionStore(session_key=key).load().get("_auth_user_id")
