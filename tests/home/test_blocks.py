"""StreamField blocks: links accept a page or a URL, exactly one."""

from __future__ import annotations

from wagtail.blocks.struct_block import StructBlockValidationError

import pytest

from home.blocks import HotlineCalloutBlock, LinkBlock


def test_link_block_accepts_a_url():
    value = LinkBlock().clean({"text": "课程", "page": None, "url": "/courses/"})
    assert value.href == "/courses/"
    assert value.label == "课程"


def test_link_block_requires_a_page_or_a_url():
    with pytest.raises(StructBlockValidationError):
        LinkBlock().clean({"text": "课程", "page": None, "url": ""})


@pytest.mark.django_db
def test_link_block_rejects_both_a_page_and_a_url(home_page):
    with pytest.raises(StructBlockValidationError):
        LinkBlock().clean({"text": "", "page": home_page, "url": "/courses/"})


@pytest.mark.django_db
def test_link_block_to_a_page_links_to_the_page_and_defaults_to_its_title(home_page):
    value = LinkBlock().clean({"text": "", "page": home_page, "url": ""})
    assert value.href == home_page.url
    assert value.label == home_page.title


def test_link_block_rejects_a_javascript_url():
    with pytest.raises(StructBlockValidationError):
        LinkBlock().clean({"text": "x", "page": None, "url": "javascript:alert(1)"})


def test_hotline_callout_may_leave_its_link_empty():
    value = HotlineCalloutBlock().clean(
        {
            "heading": "求助",
            "text": "拨打 110",
            "show_site_hotlines": True,
            "link": {"text": "", "page": None, "url": ""},
        }
    )
    assert value["link"].href == ""
