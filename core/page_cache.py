"""A full-page cache for anonymous visitors of Wagtail pages, invalidated on publish.

Wagtail pages are the same for every visitor who is not signed in, so the rendered HTML is kept
in the default cache (Redis in production, see ``REDIS_URL``) and served again without routing,
queries or templates. The rules, all checked here:

* only ``GET``/``HEAD`` requests to Wagtail's page view (``wagtail_serve``), from a visitor with
  no session cookie (so never a signed-in user, nor one with a session-stored message) and no
  pending message cookie;
* only ``200`` responses that set no cookie, used no CSRF token (a page with a POST form that
  needs one renders it per visitor) and do not say ``private``/``no-store``/``no-cache``;
* the key is the scheme, host, full path with the query string (the catalogue's filters), the
  active language (chosen by the ``huiai_language`` cookie, see ``SiteLanguageMiddleware``) and
  whether the browser asked for elder mode (the ``huiai_elder`` cookie, see ``core.elder_mode``);
* every entry lives at most ``PAGE_CACHE_SECONDS`` (0 turns the cache off) and carries the
  version token it was stored under; the token is replaced whenever a page is saved, published,
  unpublished, moved or deleted, a view restriction changes, or a snippet, site setting, site,
  image or media item changes (and once more when that transaction commits), so one write
  makes every earlier entry stale (they expire on their own). The token and the entry are
  read in one round trip, and the token is shared with ``core.site_cache``;
* a cache that fails (Redis down, full, slow) is logged and the page is served uncached: a
  cache outage never becomes an error page.

Numbers that change without a publish (e.g. "123 parents enrolled" on the catalogue) may be up
to ``PAGE_CACHE_SECONDS`` old for anonymous visitors; signed-in parents always see live data.

wagtail-cache (the maintained library for this) supports Wagtail up to 7.0, not Wagtail 8, so
this is the same idea in a few lines, built on Django's cache API.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_max_age

from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from wagtailmedia import get_media_model

from core import elder_mode
from core.cache import CacheUnavailable
from core.cache import recovered as cache_recovered

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
CACHE_HEADER = "X-Cache"
# The content version read for this request, shared with core.site_cache.
CONTENT_VERSION_ATTRIBUTE = "_huiai_content_version"
_SKIPPED_HEADERS = {"set-cookie", CACHE_HEADER.lower()}
# A stored page: the content version it was stored under, the body and the headers.
CachedPage = tuple[str, bytes, list[tuple[str, str]]]


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def _cache() -> BaseCache:
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _new_version(cache: BaseCache) -> str:
    cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    version = cache.get(VERSION_KEY)
    if version is None:  # a cache that degrades instead of raising (core/cache.py) is down
        raise CacheUnavailable("the content version could not be stored")
    return str(version)


def current_version() -> str:
    """The content version token, created when there is none yet."""
    cache = _cache()
    version = cache.get(VERSION_KEY)
    return _new_version(cache) if version is None else str(version)


def _replace_version() -> None:
    try:
        _cache().set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - the write that triggered this must not fail
        logger.warning("Page cache: could not invalidate (cache unavailable)", exc_info=True)


def invalidate() -> None:
    """Makes every cached page (and core.site_cache's data) stale at once.

    The token is replaced at once and again when the surrounding transaction commits: a request
    that read the new token before the commit may have built from the old rows, and must not
    keep them under the token that outlives the change. A failing cache is logged, never raised.
    """
    _replace_version()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(entry[1] is _replace_version for entry in connection.run_on_commit):
        transaction.on_commit(_replace_version)


def page_key(request: HttpRequest) -> str:
    """Scheme, host, full path with query string, the active language and elder mode."""
    identity = "|".join(
        [
            request.scheme or "",
            request.get_host(),
            request.get_full_path(),
            translation.get_language() or "",
            "elder" if elder_mode.requested_by_browser(request) else "",
        ]
    )
    return "page-cache:" + hashlib.sha256(identity.encode()).hexdigest()


def lookup(request: HttpRequest) -> tuple[str, str, CachedPage | None]:
    """The key, the current version and the cached entry if it was stored under that version.

    One round trip: the version token and the entry are read together (``get_many``); an
    entry stored under an older token is a miss, so ``invalidate`` needs to delete nothing.
    """
    cache = _cache()
    key = page_key(request)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        return key, _new_version(cache), None
    entry = found.get(key)
    if entry is None or entry[0] != version:
        return key, str(version), None
    return key, str(version), entry


def request_is_cacheable(request: HttpRequest) -> bool:
    if cache_seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    message_cookie = getattr(settings, "MESSAGE_COOKIE_NAME", "messages")
    return settings.SESSION_COOKIE_NAME not in cookies and message_cookie not in cookies


def response_is_cacheable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a CSRF token was rendered for this visitor
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "added_new", False):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    forbidden = any(word in cache_control for word in ("private", "no-store", "no-cache"))
    return not forbidden and get_max_age(response) != 0


def _is_page_url(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.url_name == "wagtail_serve"


class AnonymousPageCacheMiddleware:
    """Serves and stores anonymous Wagtail page views (see the module docstring for the rules).

    It sits early in ``MIDDLEWARE``, right after the language is chosen: a hit is answered
    before sessions, authentication, CSRF, messages or URL routing run at all, and only the
    outer middleware (security headers, static files, language) wraps it. Only URLs that
    resolve to Wagtail's page view (``wagtail_serve``, about 20 µs to find out) are looked up,
    so other views never touch the cache; a miss is stored on the way out, once the inner
    middleware has added its headers, if the page may be shared.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        pending = None
        if request_is_cacheable(request) and _is_page_url(request):
            try:
                key, version, cached = lookup(request)
            except CacheUnavailable:  # down, and already logged once by core.cache
                pass
            except Exception:  # noqa: BLE001 - a cache outage serves the page uncached
                logger.warning("Page cache: lookup failed, serving uncached", exc_info=True)
            else:
                if cached is not None:
                    return self._hit(cached)
                pending = (key, version)
                # core.site_cache needs the same token: no second read.
                setattr(request, CONTENT_VERSION_ATTRIBUTE, version)
        response = self.get_response(request)
        if pending is None:
            return response
        key, version = pending
        # Not streaming (response_is_cacheable): an HttpResponse, with its content in memory.
        if request.method == "GET" and isinstance(response, HttpResponse) and response_is_cacheable(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in _SKIPPED_HEADERS]
            try:
                # Stored under the version read before rendering: if a publish happened meanwhile,
                # the entry is already stale and is never served.
                _cache().set(key, (version, response.content, headers), timeout=cache_seconds())
            except Exception:  # noqa: BLE001 - the rendered page is still served
                logger.warning("Page cache: store failed", exc_info=True)
        response[CACHE_HEADER] = "miss"
        return response

    @staticmethod
    def _hit(cached: CachedPage) -> HttpResponse:
        _version, content, headers = cached
        response = HttpResponse(content, status=200)
        for name, value in headers:
            response[name] = value
        response[CACHE_HEADER] = "hit"
        return response


# --- Invalidation ------------------------------------------------------------------------------
# Any change an anonymous page can show. Page saves cover drafts too (a little more than needed,
# and cheap); many-to-many taxonomy on pages is saved with the page itself.


def _shown_on_pages(instance: Model) -> bool:
    # Other models opt in with a class attribute, e.g. event registrations (seats left).
    if getattr(instance, "shown_on_cached_pages", False):
        return True
    if isinstance(instance, (Page, PageViewRestriction, Site, BaseSiteSetting, BaseGenericSetting)):
        return True
    if isinstance(instance, (get_image_model(), get_media_model())):
        return True
    from wagtail.snippets.models import get_snippet_models

    return type(instance) in get_snippet_models()


@receiver(post_save, dispatch_uid="huiai_page_cache_saved")
@receiver(post_delete, dispatch_uid="huiai_page_cache_deleted")
def _model_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if kwargs.get("created") and isinstance(instance, (BaseSiteSetting, BaseGenericSetting)):
        # Settings rows are made empty on first use, by the first page that reads them: nothing
        # shown changes until they are saved with content (another save, which does count).
        return
    if _shown_on_pages(instance):
        invalidate()


@receiver(cache_recovered, dispatch_uid="huiai_page_cache_cache_recovered")
def _cache_recovered(sender: type, **kwargs: Any) -> None:
    """Invalidations written while the cache was down were lost: start from a new version, and
    drop Wagtail's cached site root paths for the same reason."""
    _replace_version()
    try:
        Site.clear_site_root_paths_cache()
    except Exception:  # noqa: BLE001 - best effort, the entry expires on its own
        logger.warning("Page cache: could not drop Wagtail's site root paths", exc_info=True)


@receiver(page_published, dispatch_uid="huiai_page_cache_published")
@receiver(page_unpublished, dispatch_uid="huiai_page_cache_unpublished")
@receiver(post_page_move, dispatch_uid="huiai_page_cache_moved")
def _page_changed(sender: type[Model], **kwargs: Any) -> None:
    invalidate()
