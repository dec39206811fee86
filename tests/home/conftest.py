"""Fixtures for the site-shell tests: the home page the migration creates, and its site."""

from __future__ import annotations

from wagtail.models import Site

import pytest

from tests.factories.home import home_page as get_home_page


@pytest.fixture
def home_page(db):
    return get_home_page()


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)
