"""Fixtures for the course library: the catalogue, parents, a course with lessons, and Chromium
for the browser journeys (``page``, ``signed_in_parent``)."""

from __future__ import annotations

from django.test import Client

import pytest

from accounts.roles import Role
from tests.conftest import CHROMIUM, chromium_missing, skip_or_fail
from tests.e2e.conftest import DESKTOP, LAUNCH_ARGS, TIMEOUT_MS
from tests.factories.accounts import UserFactory
from tests.factories.courses import catalogue as make_catalogue
from tests.factories.courses import course_with_lessons


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Test images and renditions go to a temporary folder, not the repository's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def catalogue(db):
    return make_catalogue()


@pytest.fixture
def parent(db):
    return UserFactory(role=Role.PARENT)


@pytest.fixture
def other_parent(db):
    return UserFactory(role=Role.PARENT)


@pytest.fixture
def course(catalogue):
    return course_with_lessons(2)


@pytest.fixture
def parent_client(client, parent):
    client.force_login(parent)
    return client


@pytest.fixture
def page(live_server, transactional_db):
    """Chromium for one journey: started after the database is set up, closed before it is flushed.

    Playwright's sync API runs an event loop in this thread; keeping it inside the test (not
    module- or session-wide) means the database set-up and flush around this test run outside
    it, as they do for every other test, and ``tests/e2e`` can still open its own browser.
    """
    reason = chromium_missing()
    if reason:
        skip_or_fail(reason)
    import asyncio

    from playwright.sync_api import sync_playwright

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        pytest.skip("another Playwright session is running in this process; run tests/courses on its own")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        context = browser.new_context(
            base_url=live_server.url, viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        yield page
        # Let late requests (a player's last beacon) finish before the database is flushed.
        page.goto("about:blank")
        page.wait_for_timeout(300)
        context.close()
        browser.close()


@pytest.fixture
def signed_in_parent(page, live_server):
    parent = UserFactory(role=Role.PARENT, name="王妈妈")
    client = Client()
    client.force_login(parent)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return parent
