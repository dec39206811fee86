"""Site-wide data every page shows, kept in each worker's memory between requests.

Every page, cached or not, needs the same few things before it can render its own content:
which Wagtail ``Site`` the host belongs to (with its root page), the site's contact settings
(header and footer hotlines), the main menu, the home page's section pages that every URL is
routed through, the view restrictions checked before serving, and the topic and age-group
lists of the filters and cards. Read from the database they cost a query each, on every
request, for data that changes a few times a year.

Here they are built once per worker and reused while the content version of
``core.page_cache`` stays the same. That version token is replaced whenever a page, snippet
(topics and age groups are snippets), setting, site, image or media item changes, and again
when that transaction commits, so one cache read per page request (Redis in production) tells
every worker whether what it holds is still current; a changed token drops everything at once.
Entries also expire after ``SITE_CACHE_SECONDS`` as a safety net, and a worker holds at most
``MAX_ENTRIES``. When the shared cache cannot be read, nothing is reused: the request reads the
database as if this module did not exist. Nor is anything reused or kept for a preview
(``request.is_preview``): it shows content that is not saved.

What is handed out is shared by the requests one worker serves: settings are copied per
request, menus and lists are tuples of plain values, and the site's root and section pages are
page objects that are only read while serving (page code must not keep per-request state on
a page instance).
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from wagtail.models import Site

from core.cache import CacheUnavailable

from . import page_cache

if TYPE_CHECKING:
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import PageViewRestriction

logger = logging.getLogger(__name__)

_T = TypeVar("_T")
# The request being served, for code Wagtail calls without one (view-restriction checks).
_current_request: ContextVar[HttpRequest | None] = ContextVar("huiai_site_cache_request", default=None)
_REQUEST_VERSION = page_cache.CONTENT_VERSION_ATTRIBUTE


class _Store(TypedDict):
    version: str | None  # the content version the values were built under
    values: dict[tuple[object, ...], tuple[float, Any]]  # key -> (expires at, value)


_store: _Store = {"version": None, "values": {}}
# Keys include request data (the Host header): a worker never holds more than this many.
MAX_ENTRIES = 2000


def seconds() -> int:
    return int(getattr(settings, "SITE_CACHE_SECONDS", 0) or 0)


def clear() -> None:
    """Forgets everything this worker holds (tests; the next request rebuilds)."""
    _store["version"] = None
    _store["values"] = {}


def content_version(request: HttpRequest) -> str | None:
    """The content version for this request, read from the shared cache once per request."""
    version: str | None
    if hasattr(request, _REQUEST_VERSION):
        version = getattr(request, _REQUEST_VERSION)
    else:
        try:
            version = page_cache.current_version()
        except CacheUnavailable:  # down, and already logged once by core.cache
            version = None
        except Exception:  # noqa: BLE001 - no shared cache: nothing is reused
            logger.warning("Site cache: content version unavailable, reading the database", exc_info=True)
            version = None
        setattr(request, _REQUEST_VERSION, version)
    return version


def remember(request: HttpRequest | None, key: tuple[object, ...], build: Callable[[], _T]) -> _T:
    """``build()``'s value for ``key``, reused while the content version is unchanged; built
    afresh without a request, with the cache off, and for a preview."""
    if request is None or seconds() <= 0 or getattr(request, "is_preview", False):
        return build()
    version = content_version(request)
    if version is None:
        return build()
    if _store["version"] != version:
        _store["version"] = version
        _store["values"] = {}
    now = time.monotonic()
    found = _store["values"].get(key)
    if found is not None and found[0] > now:
        reused: _T = found[1]  # what ``build`` made for this key
        return reused
    value = build()
    if len(_store["values"]) >= MAX_ENTRIES:
        _store["values"] = {}
    _store["values"][key] = (now + seconds(), value)
    return value


def current_request() -> HttpRequest | None:
    """The request this worker is serving (set by ``SiteCacheMiddleware``), or ``None``."""
    return _current_request.get()


def view_restrictions(request: HttpRequest | None) -> tuple[tuple[PageViewRestriction, ...], frozenset[str]]:
    """Every page view restriction with its page's path, and the paths of alias pages:
    ``(restrictions, alias_paths)``. Most sites have none, and every page view checks them."""
    from wagtail.models import Page, PageViewRestriction

    def build() -> tuple[tuple[PageViewRestriction, ...], frozenset[str]]:
        restrictions = tuple(PageViewRestriction.objects.select_related("page").order_by("pk"))
        aliases = frozenset(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True))
        return restrictions, aliases

    return remember(request, ("view-restrictions",), build)


def site_for_request(request: HttpRequest) -> Site | None:
    """Wagtail's ``Site.find_for_request``, with the host → site answer reused."""
    if hasattr(request, "_wagtail_site"):  # where Wagtail keeps it on the request
        found: Site | None = getattr(request, "_wagtail_site")  # noqa: B009
        return found
    # Django's private reader of the raw Host header, which Wagtail's own lookup keys on.
    key = ("site", request._get_raw_host(), request.get_port())  # type: ignore[attr-defined]
    site: Site | None = remember(request, key, lambda: Site._find_for_request(request))
    setattr(request, "_wagtail_site", site)  # noqa: B010
    return site


def site_setting(model: type[BaseSiteSetting], request: HttpRequest) -> BaseSiteSetting:
    """A site setting for the request's site (``model.for_request``), reused between requests.

    Each request gets its own copy, so nothing one request does to it reaches another.
    """
    attribute = model.get_cache_attr_name()
    if hasattr(request, attribute):
        return getattr(request, attribute)
    site = site_for_request(request)
    if site is None:
        return model.for_site(site)  # raises DoesNotExist, as Wagtail's for_request does
    shared = remember(request, ("setting", model._meta.label, site.pk), lambda: model.for_site(site))
    instance = copy.copy(shared)
    instance._request = request
    setattr(request, attribute, instance)
    return instance


class SiteCacheMiddleware:
    """Makes the request known to code Wagtail calls without it, and resolves a Wagtail page
    view's site from memory before Wagtail asks the database. Other views read nothing here
    until they ask for site data (a context processor, a setting)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if seconds() <= 0:
            return self.get_response(request)
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        match = request.resolver_match
        if seconds() > 0 and match is not None and match.url_name == "wagtail_serve":
            site_for_request(request)
        return None
