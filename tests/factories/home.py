"""Factories for the site's own pages and a helper for the contact settings."""

from __future__ import annotations

import json

from wagtail.models import Site

import factory
import wagtail_factories

from home.models import HomePage, SiteContactSettings, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "汇爱"
    slug = "home"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"内容页面{n}")
    slug = factory.Sequence(lambda n: f"standard-page-{n}")
    intro = "页面简介"
    show_in_menus = True

    class Meta:
        model = StandardPage


def home_page() -> HomePage:
    """The HomePage the ``home`` data migration made the default site's root."""
    return HomePage.objects.get()


def set_hotlines(site: Site, hotlines: list[dict]) -> SiteContactSettings:
    contact = SiteContactSettings.for_site(site)
    contact.hotlines = json.dumps([{"type": "hotline", "value": hotline} for hotline in hotlines])
    contact.save()
    return contact
