"""Request parameters every view can trust to be storable text.

PostgreSQL refuses text holding a NUL byte (0x00), so a ``%00`` in a query string or a path
turned every view that reads ``request.GET`` directly (search, filters, codes) or Wagtail's page
router into a 500. ``NulBytesMiddleware`` fixes this for every view at once: a path holding a
NUL byte names no page (404), and NUL bytes are dropped from query parameters before any view
sees them. Form fields already refuse NUL bytes (Django's ``ProhibitNullCharactersValidator``);
``text()`` is for the few views that read ``request.POST`` without a form.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, QueryDict
from django.http.response import HttpResponseBase

NUL = "\x00"


def clean_text(value: str) -> str:
    """``value`` without NUL bytes and lone surrogates (neither can be stored or encoded)."""
    if NUL in value:
        value = value.replace(NUL, "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "ignore").decode("utf-8")
    return value


def text(params: QueryDict, name: str, default: str = "", max_length: int | None = None) -> str:
    """One parameter as clean text (the last value if sent more than once), cut to ``max_length``."""
    value = clean_text(params.get(name, default) or default)
    return value[:max_length] if max_length is not None else value


def cleaned_query(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(clean_text(key), [clean_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


class NulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if NUL in request.path_info:
            raise Http404("No page has a NUL byte in its address.")
        query_string = request.META.get("QUERY_STRING", "")
        if "%00" in query_string or NUL in query_string:
            # Immutable like the original (``_mutable`` is off), which the stubs cannot tell.
            request.GET = cleaned_query(request.GET)  # type: ignore[assignment]
        return self.get_response(request)
