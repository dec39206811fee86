"""Journeys (b) sign-up by phone with the SMS code, (c) login and logout, (d) language switch."""

from __future__ import annotations

import secrets

from playwright.sync_api import expect

from .conftest import CHINESE, ENGLISH, check_page, code_from_sms, session_user_id, submit_form_with

PASSWORD = "Qiu-Shui-2026-e2e"


def new_mainland_number() -> str:
    return "139" + "".join(secrets.choice("0123456789") for _ in range(8))


def fill_if_present(page, name: str, value: str) -> None:
    field = page.locator(f"[name='{name}']")
    if field.count():
        field.first.fill(value)


def test_sign_up_by_phone_ends_signed_in(page, live_server, demo_site, sms_outbox):
    from accounts.models import User

    number = new_mainland_number()
    page.goto("/accounts/signup/")
    check_page(page, "signup")

    page.locator("[name='phone']").fill(number)  # typed as parents do, without +86
    page.locator("[name='password1']").fill(PASSWORD)
    fill_if_present(page, "password2", PASSWORD)
    page.check("[name='privacy_consent']")
    submit_form_with(page, "password1")

    code_field = page.locator("[name='code']")
    expect(code_field).to_be_visible()
    check_page(page, "verify-phone")
    messages = [message for message in sms_outbox if message.to == f"+86{number}"]
    assert messages, f"no SMS was sent to +86{number}; outbox: {sms_outbox!r}"
    code_field.fill(code_from_sms(messages[-1].body))
    submit_form_with(page, "code")
    page.wait_for_url(lambda url: "/accounts/" not in url or "verify" not in url)
    page.wait_for_load_state("load")

    user = User.objects.get(phone=f"+86{number}")
    assert user.phone_verified
    assert session_user_id(page, live_server) == str(user.pk), f"not signed in after the code; at {page.url}"
    check_page(page, "after-signup")


def test_login_and_logout(page, live_server, demo_site):
    from accounts import roles
    from accounts.models import User

    number = new_mainland_number()
    user = User.objects.create_user(
        username=f"e2e-{number}", phone=f"+86{number}", phone_verified=True, password=PASSWORD
    )
    roles.add_role(user, roles.Role.PARENT)

    page.goto("/accounts/login/")
    check_page(page, "login")
    login_field = page.locator("[name='login']")
    if not login_field.count():
        login_field = page.locator("[name='phone']")
    login_field.first.fill(number)
    page.locator("[name='password']").fill(PASSWORD)
    submit_form_with(page, "password")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("load")
    assert session_user_id(page, live_server) == str(user.pk), f"not signed in; at {page.url}"

    page.goto("/accounts/logout/")
    check_page(page, "logout")
    logout_button = (
        page.locator("form[action*='logout']").locator("button, input[type='submit']").filter(visible=True).first
    )
    logout_button.click()
    page.wait_for_url(lambda url: "/accounts/logout/" not in url)
    page.wait_for_load_state("load")
    assert session_user_id(page, live_server) is None, "still signed in after logging out"


def switch_language(page, code: str) -> None:
    """Uses the header's language switcher (a form that posts to /i18n/setlang/)."""
    form = page.locator("form[action*='setlang']").filter(visible=True).first
    expect(form).to_be_visible()
    button = form.locator(
        f"button[name='language'][value='{code}'], input[type='submit'][name='language'][value='{code}']"
    )
    if button.count():
        with page.expect_navigation():
            button.first.click()
        return
    select = form.locator("select[name='language']")
    submit = form.locator("button[type='submit'], input[type='submit'], button:not([type])").filter(visible=True)
    if submit.count():
        select.select_option(code)
        with page.expect_navigation():
            submit.first.click()
    else:  # the switcher submits itself on change
        with page.expect_navigation():
            select.select_option(code)


def test_switch_to_english_and_back(page, live_server, demo_site):
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", CHINESE)

    switch_language(page, "en")
    expect(html).to_have_attribute("lang", ENGLISH)
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies(live_server.url)}
    assert cookies.get("huiai_language") == "en"
    check_page(page, "home-en")

    switch_language(page, "zh-hans")
    expect(html).to_have_attribute("lang", CHINESE)
    check_page(page, "home-zh-again", viewports=("desktop",))
