"""Journey (a): the home page at desktop and phone size."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import CHINESE, DESKTOP, PHONE, check_page, horizontal_overflow


def test_home_page_at_desktop_and_phone_size(page, demo_site):
    response = page.goto("/")

    assert response is not None and response.status == 200, f"/ answered {response and response.status}"
    expect(page.locator("h1").first).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", CHINESE)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert horizontal_overflow(page) <= 0, f"the home page scrolls sideways at {size['width']}×{size['height']}"
    check_page(page, "home")
    assert not page.js_errors, f"JavaScript errors on the home page: {page.js_errors}"
