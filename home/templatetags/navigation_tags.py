"""Header navigation and small helpers for the site shell.

The main menu is the site root's live, public children marked "show in menus" (Wagtail's
own switch on the page's Promote tab). It is read with a fixed number of queries however
many items it holds, and cached on the request so the phone and desktop menus share it.
"""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

register = template.Library()

_REQUEST_CACHE_ATTRIBUTE = "_huiai_main_menu"


def _is_current(request_path: str, url: str, is_root: bool) -> bool:
    if not url:
        return False
    if is_root:
        return request_path == url
    return request_path == url or request_path.startswith(url.rstrip("/") + "/")


def build_main_menu(request, current_page: Page | None = None) -> list[dict]:
    """The home link plus the root's menu pages, as plain dicts: ``title``, ``url``, ``current``.

    Three queries at most (root page unless it is the page being shown, menu pages, view
    restrictions); each page's URL comes from the site-root paths Wagtail caches per request.
    """
    site = Site.find_for_request(request)
    if site is None:
        return []
    if current_page is not None and current_page.pk == site.root_page_id:
        root = current_page
    else:
        root = Page.objects.only("id", "path", "depth", "url_path", "title").get(pk=site.root_page_id)
    children = Page.objects.child_of(root).live().public().in_menu().only("id", "path", "depth", "url_path", "title")
    path = request.path
    home_url = root.get_url(request) or "/"
    items = [{"title": _("Home"), "url": home_url, "current": _is_current(path, home_url, is_root=True)}]
    for page in children:
        url = page.get_url(request)
        items.append({"title": page.title, "url": url, "current": _is_current(path, url, is_root=False)})
    return items


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


@register.filter
def tel_href(number: str) -> str:
    """``021-0000-1234`` → ``tel:02100001234`` (digits and a leading + only)."""
    digits = re.sub(r"[^\d+]", "", str(number or ""))
    return f"tel:{digits}" if digits else ""
