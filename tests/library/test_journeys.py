"""Browser journey for the resource library (Chromium via Playwright, axe-core checks).

A parent on a phone opens the library, filters it by their child's age and by kind with the
plain GET form, opens a resource, follows a related resource, and searches the library for
欺凌. Each page passes ``check_page`` (no serious or critical axe violation, no sideways
scrolling, no JavaScript error) at desktop and phone sizes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

import pytest

from demo.recipes.courses import create_demo_courses
from demo.recipes.library import create_demo_resources
from library.models import ResourceKind
from tests.e2e.conftest import PHONE, browser, check_page, page  # noqa: F401 - the shared Chromium

pytestmark = pytest.mark.e2e


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
