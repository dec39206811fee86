"""Browser journey for the resource library (Chromium via Playwright, axe-core checks).

A parent on a phone opens the library, filters it by their child's age and by kind with the
plain GET form, opens a resource, follows a related resource, and searches the library for
欺凌. Each page passes ``check_page`` (no serious or critical axe violation, no sideways
scrolling, no JavaScript error) at desktop and phone sizes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

import pytest

from courses.demo import create_demo_courses
from library.demo import create_demo_resources
from library.models import ResourceKind
from tests.conftest import CHROMIUM, chromium_missing, skip_or_fail
from tests.e2e.conftest import DESKTOP, LAUNCH_ARGS, PHONE, TIMEOUT_MS, check_page

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(live_server, transactional_db):
    """Chromium for one journey, started after the database is set up and closed before the flush."""
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
        pytest.skip("another Playwright session is running in this process; run tests/library on its own")
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
        context.close()
        browser.close()


@pytest.fixture
def library(transactional_db, django_db_serialized_rollback):
    create_demo_courses()
    return create_demo_resources()


def test_a_parent_filters_the_library_reads_a_resource_and_searches_it(page, library):
    page.goto(library.url)
    check_page(page, "library-index")

    page.set_viewport_size(PHONE)
    page.select_option("#filter-age", "junior")
    page.select_option("#filter-kind", "article")
    page.get_by_role("button", name=_("Show resources")).click()
    page.wait_for_url("**/library/?*")
    assert "age=junior" in page.url and "kind=article" in page.url
    cards = page.locator(".resource-card")
    assert cards.count() > 0
    assert all(text == str(ResourceKind.ARTICLE.label) for text in cards.locator(".resource-kind").all_inner_texts())
    assert page.locator("#filter-age").input_value() == "junior"
    check_page(page, "library-filtered")

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="网络欺凌的证据保存").click()
    page.wait_for_url("**/library/cyberbullying-evidence/")
    assert page.get_by_role("heading", level=1).inner_text() == "网络欺凌的证据保存"
    assert page.get_by_role("heading", name=_("Related resources")).is_visible()
    check_page(page, "library-resource")

    page.locator(".resource-related .resource-card a").first.click()
    page.wait_for_load_state("load")
    assert "/library/" in page.url and "cyberbullying-evidence" not in page.url

    page.goto(library.url)
    page.fill("#library-search-q", "欺凌")
    page.locator(".library-search button").click()
    page.wait_for_url("**/search/?*")
    assert "type=library.resourcepage" in page.url
    content = page.content()
    assert "如何识别孩子遭受校园欺凌的信号" in content
    assert "网络欺凌的证据保存" in content
    check_page(page, "library-search")
