"""The installable web app: its manifest, its service worker and the page it shows offline.

Parents open Huiai from WeChat on phones with unstable connections. The manifest lets a phone
add the site to its home screen under its Chinese name; the service worker (one small file,
``templates/home/service-worker.js``) keeps the site's look and an offline page on the phone.

The worker is served from the site root (``/service-worker.js``) so that its scope is the whole
site, with the hashed static addresses it pre-caches written into it; it is never cached by
the browser's HTTP cache (the browser checks it for updates on each visit). What the worker
may keep is decided by one function in it, ``mayKeep`` (tested in Chromium by
``tests/e2e/test_installable.py``): never a signed-in page, a case page, the admin, or a response
that sets a cookie or says ``private``/``no-store`` (``core.headers.PrivateResponseMiddleware``
marks every response to a browser holding a session, or that sets a cookie, ``private``, as
the worker cannot read ``Set-Cookie`` itself).

Lessons a parent saves with 「离线保存」 are the one kind of signed-in page kept on the phone,
and the page script keeps them, not ``mayKeep``: in a cache of the account's own
(``accounts/saved_lessons.py``), listed at ``/offline/saved/`` (``saved_lessons`` below). See
docs/architecture.md, "Saved lessons".
"""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

THEME_COLOUR = "#1d5a5f"
BACKGROUND_COLOUR = "#fbf7f1"
ICON_SIZES = (192, 512)
# Paths whose responses the worker never keeps, whatever their headers say.
# Pages the worker keeps on install, fetched without cookies: they hold no one's data (the list
# of saved lessons is filled in on the phone from what the phone keeps).
PRECACHED_PAGES = ("/offline/saved/",)
NEVER_KEPT_PREFIXES = ("/admin/", "/schools/", "/accounts/", "/account/", "/certificates/", "/django-admin/")


def _precached() -> list[str]:
    return [
        static("css/site.css"),
        static("css/elder-switch.css"),
        static("css/elder.css"),
        static("js/app-shell.js"),
        static("js/offline-queue.js"),
        static("js/offline-lessons.js"),
        static("js/saved-lessons.js"),
        static("img/logo.svg"),
    ]


@require_safe
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (W3C Web Application Manifest), in Chinese first."""
    icons = [
        {"src": static(f"img/app/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for size in ICON_SIZES
    ]
    icons += [
        {
            "src": static(f"img/app/icon-maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in ICON_SIZES
    ]
    data = {
        "id": "/",
        "name": _("Huiai: family education and child protection"),
        "short_name": _("Huiai"),
        "description": _("Family-education courses, school anti-bullying work and minors-protection services."),
        "lang": "zh-Hans",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_safe
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, with this deployment's static addresses and a version derived from them."""
    precached = _precached()
    offline_url = "/offline/"
    version = hashlib.sha256("|".join([offline_url, *PRECACHED_PAGES, *precached]).encode()).hexdigest()[:12]
    body = render_to_string(
        "home/service-worker.js",
        {
            "version": version,
            "offline_url": offline_url,
            "precached_json": json.dumps(precached),
            "never_kept_json": json.dumps(NEVER_KEPT_PREFIXES),
            "precached_pages_json": json.dumps(PRECACHED_PAGES),
            "queue_script_json": json.dumps(static("js/offline-queue.js")),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows when a page cannot be loaded: the site's look, no data."""
    return render(request, "home/offline.html")


@require_safe
def saved_lessons(request: HttpRequest) -> HttpResponse:
    """已离线保存: the lessons kept on this phone, listed by ``static/js/offline-lessons.js``.

    The server sends an empty list (the same page to everyone, kept by the worker on install)
    so the list opens offline too; what fills it is on the phone, for the account signed in.
    """
    return render(request, "home/saved_lessons.html")
