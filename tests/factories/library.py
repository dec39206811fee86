"""Factories for the resource library: the index and resources tagged with the shared taxonomy."""

from __future__ import annotations

import datetime

import factory
import wagtail_factories

from library.models import LibraryIndexPage, ResourceKind, ResourcePage
from tests.factories.home import home_page


class LibraryIndexPageFactory(wagtail_factories.PageFactory):
    title = "资源库"
    slug = "library"
    intro = "文章、视频、音频和可下载的资料。"

    class Meta:
        model = LibraryIndexPage


class ResourcePageFactory(wagtail_factories.PageFactory):
    """A live article; pass ``topics=[…]`` and ``age_groups=[…]`` to tag it (stored on save)."""

    title = factory.Sequence(lambda n: f"家庭教育资源{n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    kind = ResourceKind.ARTICLE
    summary = "帮助家长了解孩子。"
    body = factory.LazyFunction(lambda: '[{"type": "paragraph", "value": "<p>正文内容</p>"}]')
    source = "徐汇区未成年人保护中心"
    published_date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))

    class Meta:
        model = ResourcePage


def library_index() -> LibraryIndexPage:
    """The site's library index under the home page, created on first use."""
    existing = LibraryIndexPage.objects.first()
    return existing or LibraryIndexPageFactory(parent=home_page())


SIGNS_TITLE = "如何识别孩子遭受校园欺凌的信号"


def signs_resource(parent: LibraryIndexPage, **fields) -> ResourcePage:
    """The resource several library tests look for: how to spot the signs of bullying."""
    return ResourcePageFactory(parent=parent, title=SIGNS_TITLE, **fields)
