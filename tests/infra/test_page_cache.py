"""The anonymous full-page cache (core/page_cache.py): what is cached, under which key, and when it goes."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction, Site

import pytest

from accounts.roles import Role
from core import page_cache
from home.models import SiteContactSettings
from taxonomy.models import Topic
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import TopicFactory, catalogue, course_with_lessons, tag
from tests.factories.home import StandardPageFactory, home_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def about(db):
    # The site's contact settings row is made on first use; make it now, as a site has it.
    SiteContactSettings.for_site(Site.objects.get(is_default_site=True))
    return StandardPageFactory(parent=home_page(), title="关于我们", slug="about")


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_second_anonymous_view_is_served_from_the_cache_without_queries(client, about):
    first, first_queries = get(client, about.url)
    second, second_queries = get(client, about.url)
    assert first.status_code == second.status_code == 200
    assert first["X-Cache"] == "miss" and first_queries > 0
    assert second["X-Cache"] == "hit" and second_queries == 0
    assert second.content == first.content
    assert "关于我们" in second.content.decode()
    # The shell's headers are still added around a cached page.
    assert second["Content-Language"] == "zh-hans"
    assert "Cookie" in second["Vary"]
    assert not second.cookies


def test_anonymous_pages_carry_no_csrf_token_or_cookie(client, about):
    response = client.get(about.url)
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert 'action="/i18n/setlang/"' in html  # the language switcher needs no token
    assert not response.cookies


def test_language_switch_works_without_a_csrf_token(about):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/i18n/setlang/", {"language": "en", "next": about.url})
    assert response.status_code == 302 and response["Location"] == about.url
    assert response.cookies["huiai_language"].value == "en"
    # A next URL on another site is not followed.
    elsewhere = browser.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert elsewhere["Location"] != "https://evil.example/"


def test_signed_in_users_are_never_served_or_stored(client, about):
    sign_in_fully(client, UserFactory(role=Role.PARENT))
    for _visit in range(2):
        response, queries = get(client, about.url)
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert queries > 0
        assert "csrfmiddlewaretoken" in response.content.decode()  # the logout form
    client.logout()
    anonymous = client.get(about.url)
    assert anonymous["X-Cache"] == "miss"
    assert "csrfmiddlewaretoken" not in anonymous.content.decode()


def test_the_language_cookie_has_its_own_entry(client, about):
    chinese = client.get(about.url)
    client.cookies["huiai_language"] = "en"
    english, queries = get(client, about.url)
    assert english["X-Cache"] == "miss" and queries > 0
    assert english["Content-Language"] == "en"
    assert 'lang="en"' in english.content.decode()
    assert client.get(about.url)["X-Cache"] == "hit"
    del client.cookies["huiai_language"]
    again = client.get(about.url)
    assert again["X-Cache"] == "hit" and again.content == chinese.content


def test_the_query_string_has_its_own_entry(client):
    topic = TopicFactory(name="校园欺凌", slug="bullying")
    tag(course_with_lessons(1, title="只在筛选中"), topics=[topic])
    course_with_lessons(1, title="没有主题")
    url = catalogue().url
    assert client.get(url)["X-Cache"] == "miss"
    filtered = client.get(url, {"topic": "bullying"})
    assert filtered["X-Cache"] == "miss"
    html = filtered.content.decode()
    assert "只在筛选中" in html and "没有主题" not in html
    assert client.get(url, {"topic": "bullying"})["X-Cache"] == "hit"
    assert "没有主题" in client.get(url).content.decode()


def test_publishing_any_page_invalidates(client, about):
    other = StandardPageFactory(parent=home_page(), title="其他页面", slug="other")
    client.get(about.url)
    assert client.get(about.url)["X-Cache"] == "hit"
    other.title = "其他页面（更新）"
    other.save_revision().publish()
    response = client.get(about.url)
    assert response["X-Cache"] == "miss"
    assert "其他页面（更新）" in response.content.decode()  # the menu shows the new title


def test_unpublishing_moving_and_deleting_invalidate(client, about):
    other = StandardPageFactory(parent=home_page(), slug="other")
    child = StandardPageFactory(parent=other, slug="child")

    def cached_then(action) -> str:
        client.get(about.url)
        assert client.get(about.url)["X-Cache"] == "hit"
        action()
        return client.get(about.url)["X-Cache"]

    assert cached_then(lambda: other.unpublish()) == "miss"
    assert cached_then(lambda: child.move(about, pos="last-child")) == "miss"
    assert cached_then(lambda: child.delete()) == "miss"


def test_snippet_and_setting_changes_invalidate(client, about):
    topic = TopicFactory()
    client.get(about.url)
    assert client.get(about.url)["X-Cache"] == "hit"
    Topic.objects.get(pk=topic.pk).save()
    assert client.get(about.url)["X-Cache"] == "miss"
    assert client.get(about.url)["X-Cache"] == "hit"
    contact = SiteContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.hotlines = json.dumps([{"type": "hotline", "value": {"name": "新热线", "number": "12355"}}])
    contact.save()
    response = client.get(about.url)
    assert response["X-Cache"] == "miss" and "新热线" in response.content.decode()


def test_a_new_view_restriction_invalidates(client, about):
    client.get(about.url)
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(about.url)
    assert response.status_code == 302  # now for signed-in users only, not the cached page


def test_a_page_with_a_csrf_token_is_not_cached(client, about, monkeypatch):
    from django.middleware.csrf import get_token

    from home.models import StandardPage

    original = StandardPage.get_context
    rendered = []

    def with_form(self, request, *args, **kwargs):
        context = original(self, request, *args, **kwargs)
        get_token(request)  # what {% csrf_token %} in a POST form does
        rendered.append(request)
        return context

    monkeypatch.setattr(StandardPage, "get_context", with_form)
    first = client.get(about.url)
    assert "csrftoken" in first.cookies
    second, _queries = get(client, about.url)
    assert second["X-Cache"] == "miss" and len(rendered) == 2  # rendered again, not from the cache


def test_pages_with_messages_or_a_session_bypass_the_cache(client, about):
    client.get(about.url)
    client.cookies["messages"] = "pending"
    assert "X-Cache" not in client.get(about.url)
    del client.cookies["messages"]
    client.cookies["sessionid"] = "anonymous-session"
    assert "X-Cache" not in client.get(about.url)


def test_only_wagtail_pages_are_cached(client, about):
    client.get("/healthz")
    assert "X-Cache" not in client.get("/healthz")
    assert "X-Cache" not in client.get("/accounts/login/")


def test_redirects_and_errors_are_not_cached(client):
    course = course_with_lessons(1)
    lesson_url = course.lessons().first().url
    for _visit in range(2):
        assert client.get(lesson_url).status_code == 302  # sign in to read lessons
        assert client.get("/no-such-page/").status_code == 404
    assert page_cache.cache_seconds() == 300


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache is down")

        return fail


def test_a_failing_cache_serves_the_page_uncached(client, about, monkeypatch):
    monkeypatch.setattr(page_cache, "_cache", lambda: BrokenCache())
    for _visit in range(2):
        response = client.get(about.url)
        assert response.status_code == 200
        assert "关于我们" in response.content.decode()
    # Publishing still works while the cache is down.
    about.save_revision().publish()


def test_page_cache_off_when_seconds_is_zero(client, about, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(about.url)
    assert "X-Cache" not in client.get(about.url)


def test_an_event_registration_drops_the_alliance_pages_seat_counts(client):
    from alliance import services
    from tests.factories.alliance import alliance_index, event

    index = alliance_index()
    lecture = event(title="未成年人保护法讲座", capacity=30)
    SiteContactSettings.for_site(Site.objects.get(is_default_site=True))
    client.get(index.url)
    assert client.get(index.url)["X-Cache"] == "hit"
    services.register(lecture, name="王丽", phone="+8613800000001")
    assert client.get(index.url)["X-Cache"] == "miss"


def test_other_views_never_touch_the_page_cache(client, about, monkeypatch):
    looked_up = []
    original = page_cache.lookup
    monkeypatch.setattr(page_cache, "lookup", lambda request: looked_up.append(request.path) or original(request))
    client.get("/healthz")
    client.get("/accounts/login/")
    client.get(about.url)
    assert looked_up == [about.url]
