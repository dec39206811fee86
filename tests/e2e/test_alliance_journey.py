"""Browser journey for the legal-education alliance (Chromium via Playwright, axe-core checks).

A parent opens the alliance page, opens the nearly full lecture (one seat left), registers on
a phone, sees the confirmation with no seat left, and gets a text message. A second parent
then finds the lecture fully booked with no form. Another event is registered for at desktop
size and its seat count drops by one. Each page passes ``check_page`` at desktop and phone size.
"""

from __future__ import annotations

import pytest

from alliance.models import AllianceEventPage, EventRegistration
from demo.recipes.alliance import create_demo_alliance
from tests.e2e.conftest import PHONE, browser, check_page, page  # noqa: F401 - the shared Chromium
from tests.factories.home import home_page

pytestmark = pytest.mark.e2e

NEARLY_FULL = "lecture-bullying-and-the-law"
MOCK_TRIAL = "mock-trial-cyberbullying"


@pytest.fixture
def alliance(transactional_db, django_db_serialized_rollback):
    return create_demo_alliance(home_page())


@pytest.fixture
def outbox():
    from accounts import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def register(page, name: str, phone: str) -> None:
    page.fill("#id_name", name)
    page.fill("#id_phone", phone)
    page.fill("#id_organisation", "汇爱示例初级中学")
    page.check("#id_consent")
    page.get_by_role("button", name="提交报名").click()
    page.wait_for_url("**/registered/")


def test_a_parent_takes_the_last_seat_and_the_next_finds_it_full(page, browser, live_server, alliance, outbox):  # noqa: F811
    page.goto(alliance.url)
    assert page.get_by_role("heading", level=1).inner_text() == "徐汇普法教育联盟"
    assert page.locator(".alliance-member").count() == 10
    check_page(page, "alliance-index")

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="校园欺凌的法律边界——写给初中家长的普法讲座").click()
    page.wait_for_url(f"**/{NEARLY_FULL}/")
    assert page.locator(".alliance-register__seats").inner_text().strip() == "剩余 1 个名额"
    check_page(page, "alliance-event")

    page.set_viewport_size(PHONE)
    register(page, "陈女士", "139 1234 5678")
    status = page.locator(".alliance-confirmation")
    assert "报名成功" in status.inner_text()
    assert "139****5678" in status.inner_text()
    assert "名额已满" in page.locator(".alliance-confirmation__seats").inner_text()
    check_page(page, "alliance-registered")

    event = AllianceEventPage.objects.get(slug=NEARLY_FULL)
    assert EventRegistration.objects.filter(event=event, cancelled=False).count() == event.capacity == 30
    assert [message.to for message in outbox] == ["+8613912345678"]

    other = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        second = other.new_page()
        second.goto(f"{alliance.url}{NEARLY_FULL}/")
        assert "名额已满" in second.locator(".alliance-register").inner_text()
        assert second.locator("#id_phone").count() == 0
        check_page(second, "alliance-event-full")
    finally:
        other.close()


def test_registering_at_desktop_size_lowers_the_seat_count(page, alliance, outbox):  # noqa: F811
    page.goto(f"{alliance.url}{MOCK_TRIAL}/")
    assert page.locator(".alliance-register__seats").inner_text().strip() == "剩余 48 个名额"
    page.fill("#id_phone", "12345")
    page.fill("#id_name", "赵先生")
    page.check("#id_consent")
    page.get_by_role("button", name="提交报名").click()
    page.wait_for_load_state("load")
    assert "这不是有效的手机号码" in page.locator(".form-error").inner_text()
    check_page(page, "alliance-event-error", viewports=("desktop",))

    page.fill("#id_phone", "13912345679")
    page.get_by_role("button", name="提交报名").click()
    page.wait_for_url("**/registered/")
    assert "剩余 47 个名额" in page.locator(".alliance-confirmation__seats").inner_text()

    page.goto(alliance.url)
    card = page.locator(".alliance-event-card", has_text="走进模拟法庭")
    assert "剩余 47 个名额" in card.inner_text()
