"""Header navigation and small helpers for the site shell.

The main menu is the site root's live, public children marked "show in menus" (Wagtail's
own switch on the page's Promote tab). It is read with a fixed number of queries however
many items it holds, kept per worker until content changes (``core.site_cache``), and built
once per request so the phone and desktop menus share it.
"""

from __future__ import annotations

import re

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from core import site_cache
from core.listing import public_only

register = template.Library()

_REQUEST_CACHE_ATTRIBUTE = "_huiai_main_menu"


def _is_current(request_path: str, url: str, is_root: bool) -> bool:
    if not url:
        return False
    if is_root:
        return request_path == url
    return request_path == url or request_path.startswith(url.rstrip("/") + "/")


def routed_ancestors(page: Page | None, inclusive: bool = False) -> list[Page]:
    """The page's ancestors below the tree root, read from what routing already loaded.

    Wagtail's routing walks from the site root down and leaves each parent on its child as
    ``_cached_parent_obj``; following that chain gives the breadcrumbs and the site root
    without a query. Returns ``[]`` when the chain is incomplete (e.g. a preview).
    """
    if page is None:
        return []
    chain = [page] if inclusive else []
    current = page
    while current.depth > 2:
        current = current.__dict__.get("_cached_parent_obj")
        if current is None:
            return []
        chain.append(current)
    return chain[::-1]


def build_main_menu(request, current_page: Page | None = None) -> list[dict]:
    """The home link plus the root's menu pages, as plain dicts: ``title``, ``url``, ``current``.

    The titles and URLs are the same on every page of a site, so they are read once and reused
    until content changes (``core.site_cache``); only "current" is worked out per request.
    """
    site = Site.find_for_request(request)
    if site is None:
        return []
    entries = site_cache.remember(
        request,
        ("main-menu", site.pk, translation.get_language()),
        lambda: _menu_entries(request, site, current_page),
    )
    path = request.path
    return [
        {"title": title, "url": url, "current": _is_current(path, url, is_root=position == 0)}
        for position, (title, url) in enumerate(entries)
    ]


def _menu_entries(request, site: Site, current_page: Page | None) -> tuple[tuple[str, str], ...]:
    """``(title, url)`` of the home link and the root's menu pages.

    One query (the menu pages, view restrictions checked in the same query) when the page being
    shown was routed to from the site root, two otherwise (the root page); each page's URL
    comes from the site-root paths Wagtail caches.
    """
    root = next((page for page in routed_ancestors(current_page, inclusive=True) if page.pk == site.root_page_id), None)
    if root is None:
        root = Page.objects.only("id", "path", "depth", "url_path", "title").get(pk=site.root_page_id)
    menu_pages = public_only(Page.objects.child_of(root).live().in_menu())
    children = menu_pages.only("id", "path", "depth", "url_path", "title")
    entries = [(str(_("Home")), root.get_url(request) or "/")]
    entries.extend((page.title, page.get_url(request)) for page in children)
    return tuple(entries)


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    request = context.get("request")
    if request is None:
        return []
    cached = getattr(request, _REQUEST_CACHE_ATTRIBUTE, None)
    if cached is None:
        page = context.get("page")
        cached = build_main_menu(request, page if isinstance(page, Page) else None)
        setattr(request, _REQUEST_CACHE_ATTRIBUTE, cached)
    return cached


@register.simple_tag
def breadcrumb_ancestors(page: Page) -> list[Page]:
    """The page's ancestors from the site's home page down, without a query when routed."""
    if page.depth <= 2:
        return []
    return routed_ancestors(page) or list(page.get_ancestors().filter(depth__gt=1))


@register.filter
def tel_href(number: str) -> str:
    """``021-0000-1234`` → ``tel:02100001234`` (digits and a leading + only)."""
    digits = re.sub(r"[^\d+]", "", str(number or ""))
    return f"tel:{digits}" if digits else ""


@register.simple_tag(takes_context=True)
def catalogue_url(context) -> str:
    """The course catalogue's URL for the header and the phone tab bar ("" without a catalogue).

    Read once per worker until content changes (``core.site_cache``), so no page pays a query.
    """
    request = context.get("request")
    if request is None:
        return ""
    site = Site.find_for_request(request)
    if site is None:
        return ""
    return site_cache.remember(request, ("catalogue-url", site.pk), lambda: _catalogue_url(request, site))


def _catalogue_url(request, site: Site) -> str:
    from courses.models import CourseIndexPage

    catalogue = public_only(CourseIndexPage.objects.live().descendant_of(site.root_page, inclusive=True)).first()
    return (catalogue.get_url(request) or "") if catalogue else ""
