"""The header menu costs the same number of queries however many pages it lists."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from core import page_cache
from home.templatetags.navigation_tags import tel_href
from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, cold: bool = False) -> int:
    """Queries of one request once caches are warm; with ``cold``, of the first request after
    a content change (the menu, settings and site are read again, core/site_cache.py)."""
    client.get(url)  # warm the site-root and content-type caches
    if cold:
        page_cache.invalidate()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_home_page_query_count_does_not_grow_with_the_menu(client, home_page):
    for _ in range(2):
        StandardPageFactory(parent=home_page)
    with_two = queries_for(client, "/"), queries_for(client, "/", cold=True)
    for _ in range(18):
        StandardPageFactory(parent=home_page)
    with_twenty = queries_for(client, "/"), queries_for(client, "/", cold=True)
    assert with_two == with_twenty
    assert with_two[0] < with_two[1]  # site, settings and menu come from memory until a change
    assert client.get("/").content.count(b'class="main-nav__link"') == 2 * 21  # phone + wide menus


def test_home_page_needs_few_queries(client, home_page, django_assert_max_num_queries):
    for _ in range(20):
        StandardPageFactory(parent=home_page)
    client.get("/")
    with django_assert_max_num_queries(7):
        client.get("/")


@pytest.mark.parametrize(
    ("number", "href"),
    [("12355", "tel:12355"), ("021-0000-1234", "tel:02100001234"), ("+86 21 0000 1234", "tel:+862100001234"), ("", "")],
)
def test_tel_href_keeps_only_digits_and_plus(number, href):
    assert tel_href(number) == href
