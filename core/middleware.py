"""Site-wide middleware with no domain logic: the request body cap and the site language.

Request bodies capped by the app itself, before any view or parser reads them.

A proxy in front may cap them too, but the app must not depend on one: a body declared
larger than ``REQUEST_BODY_MAX_BYTES`` (or ``REQUEST_BODY_MAX_BYTES_MEDIA`` under one of
``REQUEST_BODY_MEDIA_PATHS``, where teachers upload lesson video) is answered ``413`` with a
short page, and nothing reads it. Django itself does not read a body without a
``Content-Length`` (it sees it as empty), so a chunked body cannot go around the check.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import translation


def body_limit(path: str) -> int:
    if any(path.startswith(prefix) for prefix in settings.REQUEST_BODY_MEDIA_PATHS):
        return settings.REQUEST_BODY_MAX_BYTES_MEDIA
    return settings.REQUEST_BODY_MAX_BYTES


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request.path_info)
        if length > limit:
            from django.http import HttpResponse

            sizes = {"limit_mb": limit // (1024 * 1024), "size_mb": round(length / 1048576, 1)}
            page = render_to_string("core/request_too_large.html", sizes)
            response = HttpResponse(page, status=413)
            response["Connection"] = "close"
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


class SiteLanguageMiddleware:
    """Chinese first: the language is the visitor's explicit choice, else zh-hans.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, which
    would show English to a parent whose phone happens to be set to English. Here only the
    language cookie (set by the switcher through ``django.views.i18n.set_language``) changes
    the language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response
