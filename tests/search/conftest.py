"""Fixtures for the search tests: the corpus of demo-like pages and the editors' synonyms."""

from __future__ import annotations

import json

import pytest

from home.models import StandardPage
from search.models import SearchSynonym
from tests.factories.home import home_page as get_home_page

from .corpus import PAGES, SYNONYMS


def add_page(parent, slug: str, title: str, intro: str = "", body: str = "") -> StandardPage:
    page = StandardPage(
        title=title,
        slug=slug,
        intro=intro,
        body=json.dumps([{"type": "paragraph", "value": f"<p>{body}</p>"}], ensure_ascii=False) if body else "[]",
    )
    parent.add_child(instance=page)
    return page


@pytest.fixture
def home_page(db):
    return get_home_page()


@pytest.fixture
def synonyms(db):
    return [SearchSynonym.objects.create(term=term, synonyms=words) for term, words in SYNONYMS.items()]


@pytest.fixture
def corpus(home_page, synonyms) -> dict[str, StandardPage]:
    return {slug: add_page(home_page, slug, *texts) for slug, texts in PAGES.items()}
