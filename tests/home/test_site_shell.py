"""The shell around every page: header, account links, language switcher, footer, error pages.

UI strings are English in the source and become Chinese only once the .po is compiled, so
these tests assert on structure, URLs and attributes rather than on translated text.
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from wagtail.models import Site

import pytest

from accounts.roles import Role
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.home import StandardPageFactory, set_hotlines

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang> attribute"
    return match.group(1)


def test_anonymous_visitor_sees_login_and_signup_links(client, home_page):
    response = client.get("/")
    assert f'href="{reverse("account_login")}"'.encode() in response.content
    assert f'href="{reverse("account_signup")}"'.encode() in response.content
    assert f'action="{reverse("account_logout")}"'.encode() not in response.content


def test_logged_in_user_sees_their_name_and_a_logout_form(client, home_page):
    user = UserFactory(name="王小明")
    sign_in_fully(client, user)
    response = client.get("/")
    content = response.content.decode()
    assert "王小明" in content
    assert re.search(rf'<form[^>]*method="post"[^>]*action="{reverse("account_logout")}"', content)
    assert f'href="{reverse("account_login")}"' not in content


@pytest.mark.parametrize("role", [Role.TEACHER, Role.DISTRICT_STAFF, Role.EDITOR])
def test_admin_link_is_shown_to_admin_roles(client, home_page, role):
    sign_in_fully(client, UserFactory(role=role))
    assert b'href="/admin/"' in client.get("/").content


@pytest.mark.parametrize("role", [Role.PARENT, Role.SCHOOL_OFFICER])
def test_admin_link_is_hidden_from_other_roles(client, home_page, role):
    sign_in_fully(client, UserFactory(role=role))
    assert b'href="/admin/"' not in client.get("/").content


def test_admin_link_is_hidden_from_anonymous_visitors(client, home_page):
    assert b'href="/admin/"' not in client.get("/").content


def test_site_is_chinese_by_default(client, home_page):
    assert html_lang(client.get("/")) == "zh-Hans"


def test_language_switcher_switches_to_english(client, home_page):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert html_lang(client.get("/")) == "en"


def test_language_switcher_offers_the_other_language_and_returns_to_the_current_page(client, home_page):
    page = StandardPageFactory(parent=home_page, slug="about")
    content = client.get(page.url).content.decode()
    form = re.search(r'<form class="language-switcher".*?</form>', content, re.S).group(0)
    assert f'action="{reverse("set_language")}"' in form
    assert 'name="next" value="/about/"' in form
    assert 'name="language" value="en"' in form
    client.post(reverse("set_language"), {"language": "en", "next": "/about/"})
    content = client.get(page.url).content.decode()
    assert 'name="language" value="zh-hans"' in content


def test_page_has_skip_link_and_landmarks(client, home_page):
    content = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in content
    assert '<main id="main"' in content
    assert '<header class="site-header">' in content
    assert '<footer class="site-footer">' in content
    assert content.count('<nav class="main-nav main-nav--wide" aria-label=') == 1
    assert '<details class="main-nav main-nav--phone" data-closes-on-escape>' in content
    assert '<form class="header-search" role="search"' in content
    assert '<nav class="tab-bar" aria-label=' in content


def test_main_menu_lists_live_menu_pages_only(client, home_page):
    StandardPageFactory(parent=home_page, title="家庭教育指导", slug="guidance")
    StandardPageFactory(parent=home_page, title="隐私说明", slug="privacy", show_in_menus=False)
    StandardPageFactory(parent=home_page, title="草稿页面", slug="draft", live=False)
    content = client.get("/").content.decode()
    assert 'href="/guidance/">家庭教育指导</a>' in content
    assert "隐私说明" not in content
    assert "草稿页面" not in content


def test_main_menu_marks_the_current_section(client, home_page):
    about = StandardPageFactory(parent=home_page, title="关于汇爱", slug="about")
    child = StandardPageFactory(parent=about, title="工作体系", slug="system", show_in_menus=False)
    content = client.get(child.url).content.decode()
    assert 'href="/about/" aria-current="page">关于汇爱</a>' in content


def test_footer_lists_the_hotlines_from_the_site_settings(client, site):
    set_hotlines(site, [{"name": "区未保中心", "number": "021-0000-1234", "description": "演示号码"}])
    content = client.get("/").content.decode()
    assert 'href="tel:02100001234">021-0000-1234</a>' in content
    assert "区未保中心" in content


def test_not_found_page_uses_the_site_template_and_returns_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    templates = [template.name for template in response.templates]
    assert "404.html" in templates
    assert "base.html" in templates
    assert b'<header class="site-header">' in response.content


def test_shell_renders_without_any_site(client, home_page):
    Site.objects.all().delete()
    response = client.get("/no-site/")
    assert response.status_code == 404
    assert b'<header class="site-header">' in response.content


def test_server_error_template_renders_standalone_without_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "<html lang=" in html
    assert "/static/css/site.css" in html
    assert "110" in html


def test_server_error_view_answers_500(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert b"site.css" in response.content


@pytest.mark.parametrize("where", ["home", "standard_page", "library", "alliance", "catalogue", "sign_in", "not_found"])
def test_a_pending_message_shows_on_every_kind_of_page_once(client, home_page, where):
    """Every page renders Django's messages in one place (templates/includes/messages.html), so a
    message set before a redirect is read wherever the redirect lands, and then it is gone."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    from tests.factories.alliance import alliance_index
    from tests.factories.courses import catalogue
    from tests.factories.library import library_index

    urls = {
        "home": lambda: home_page.url,
        "standard_page": lambda: StandardPageFactory(parent=home_page, title="关于我们").url,
        "library": lambda: library_index().url,
        "alliance": lambda: alliance_index().url,
        "catalogue": lambda: catalogue().url,
        "sign_in": lambda: reverse("account_login"),
        "not_found": lambda: "/no-such-page/",
    }
    url = urls[where]()
    stored = CookieStorage(HttpRequest())._encode([Message(constants.WARNING, "请重新登录。")])
    client.cookies[CookieStorage.cookie_name] = stored

    html = client.get(url).content.decode()
    assert re.search(
        r'<div class="container" role="status" aria-live="polite">\s*<ul class="messages">\s*'
        r'<li class="message message--warning">请重新登录。</li>',
        html,
    )
    assert "请重新登录。" not in client.get(url).content.decode()
