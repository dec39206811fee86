"""长辈模式 (elder mode): the switch, where it is remembered, and what it changes on the page.

The switch is a plain form POST (no JavaScript needed), remembered by the browser (cookie) and,
when signed in, by the account. Signed-in pages carry a CSRF token and the check applies;
anonymous pages carry none so that the page cache keeps working (accounts.views.set_elder_mode).
"""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

import pytest

from core import elder_mode
from tests.factories.accounts import UserFactory
from tests.factories.courses import catalogue
from tests.factories.home import home_page, set_hotlines

pytestmark = pytest.mark.django_db

SWITCH = reverse("accounts:elder_mode")
ELDER_CSS = b"css/elder"


def elder_page(response) -> bool:
    content = response.content
    return b"elder-switch--on" in content and b"/elder." in content


@pytest.fixture
def home():
    return home_page()


def test_anonymous_visitor_turns_elder_mode_on_and_the_browser_remembers_it(client, home):
    assert not elder_page(client.get("/"))
    response = client.post(SWITCH, {"elder_mode": "on", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    cookie = response.cookies[elder_mode.COOKIE_NAME]
    assert cookie.value == "1"
    assert cookie["max-age"] == elder_mode.COOKIE_AGE
    assert cookie["httponly"]
    assert elder_page(client.get("/"))


def test_turning_elder_mode_off_forgets_it(client, home):
    client.post(SWITCH, {"elder_mode": "on", "next": "/"})
    response = client.post(SWITCH, {"elder_mode": "off", "next": "/"})
    assert response.cookies[elder_mode.COOKIE_NAME]["max-age"] == 0
    assert not elder_page(client.get("/"))


@pytest.mark.parametrize("value", ["", "yes", "ON", "1"])
def test_a_value_other_than_on_or_off_is_refused(client, value):
    response = client.post(SWITCH, {"elder_mode": value})
    assert response.status_code == 400
    assert elder_mode.COOKIE_NAME not in response.cookies


def test_the_switch_only_answers_post(client):
    assert client.get(SWITCH, {"elder_mode": "on"}).status_code == 405


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_switch_goes_back_only_to_this_site(client, next_url):
    response = client.post(SWITCH, {"elder_mode": "on", "next": next_url})
    assert response["Location"] == "/"


def test_a_request_the_browser_marks_cross_site_is_refused(client):
    response = client.post(SWITCH, {"elder_mode": "on"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert elder_mode.COOKIE_NAME not in response.cookies


def test_anonymous_pages_render_the_switch_without_a_csrf_token(client, home):
    content = client.get("/").content.decode()
    switch = content[content.index('class="elder-switch') : content.index("</aside>")]
    assert "csrfmiddlewaretoken" not in switch
    assert f'action="{SWITCH}"' in switch


def test_signed_in_the_switch_needs_the_csrf_token_and_is_saved_on_the_account(home):
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    page = browser.get("/").content.decode()
    switch = page[page.index('class="elder-switch') : page.index("</aside>")]
    assert "csrfmiddlewaretoken" in switch

    assert browser.post(SWITCH, {"elder_mode": "on"}).status_code == 403
    user.refresh_from_db()
    assert user.elder_mode is False

    token = browser.cookies["csrftoken"].value
    response = browser.post(SWITCH, {"elder_mode": "on", "csrfmiddlewaretoken": token, "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.elder_mode is True


def test_the_accounts_choice_follows_the_parent_to_another_browser(home):
    user = UserFactory(elder_mode=True)
    other_phone = Client()
    other_phone.force_login(user)
    assert elder_page(other_phone.get("/"))
    other_phone.cookies[elder_mode.COOKIE_NAME] = "0"
    assert elder_page(other_phone.get("/"))


def test_turned_on_before_signing_in_it_stays_on_after(client, home):
    client.post(SWITCH, {"elder_mode": "on", "next": "/"})
    client.force_login(UserFactory(elder_mode=False))
    assert elder_page(client.get("/"))


def test_turned_off_while_signed_in_it_is_off_for_the_browser_and_the_account(client, home):
    user = UserFactory(elder_mode=True)
    client.cookies[elder_mode.COOKIE_NAME] = "1"
    client.force_login(user)
    client.post(SWITCH, {"elder_mode": "off", "next": "/"})
    user.refresh_from_db()
    assert user.elder_mode is False
    assert not elder_page(client.get("/"))


def test_home_page_offers_continue_learning_find_a_course_and_call_for_help_first(client, home):
    courses = catalogue()
    set_hotlines(home.get_site(), [{"name": "家庭教育热线", "number": "021-1234-5678", "description": ""}])
    client.cookies[elder_mode.COOKIE_NAME] = "1"
    content = client.get("/").content.decode()
    choices = content[content.index('class="container elder-choices"') :]
    links = choices.split("</ul>")[0].split("<li>")[1:]
    assert len(links) == 3
    assert f'href="{courses.url}mine/"' in links[0]
    assert f'href="{courses.url}"' in links[1]
    assert 'href="tel:02112345678"' in links[2]
    # They come before the page's own content.
    assert content.index("elder-choices") < content.index("site-footer")


def test_standard_mode_home_page_has_no_elder_choices(client, home):
    catalogue()
    assert b"elder-choices" not in client.get("/").content


def test_the_page_cache_keeps_elder_and_standard_renderings_apart(client, home, settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    try:
        assert not elder_page(client.get("/"))
        assert client.get("/")["X-Cache"] == "hit"
        elder = Client()
        elder.cookies[elder_mode.COOKIE_NAME] = "1"
        assert elder_page(elder.get("/"))
        assert elder_page(elder.get("/"))
        assert not elder_page(client.get("/"))
    finally:
        cache.clear()
