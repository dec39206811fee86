"""Byte ranges for lesson media: seeking and resuming a video needs ``206 Partial Content``.

Lessons play wagtailmedia items (preferred) or Wagtail documents. Neither has a serve view
that answers ``Range`` requests, and in production nothing serves ``MEDIA_ROOT`` at all, so
both go through this module (RFC 9110 §14):

* ``Range: bytes=a-b``, ``bytes=a-`` and ``bytes=-n`` get ``206`` with ``Content-Range``;
* a range that cannot be satisfied (starting past the end, ``b < a``, ``bytes=-0``) or
  cannot be read gets ``416`` with ``Content-Range: bytes */size``;
* other units, several ranges at once, or an ``If-Range`` that no longer matches the
  file's ``ETag`` or ``Last-Modified`` get the whole file (a server may always do that);
* every file response says ``Accept-Ranges: bytes``.

``serve_document`` wraps Wagtail's document serve view (``/documents/<id>/<name>``), which
checks collection privacy (the ``before_serve_document`` hooks), sends the
``document_served`` signal and answers conditional requests, but always sends the whole
file; whatever it refuses or redirects stays refused or redirected, and its full ``200``
becomes one byte range. ``Document.url`` is unchanged.

``serve_media`` (``/media-files/<id>/<name>``) serves a wagtailmedia item's file or its
thumbnail. wagtailmedia has no serve view of its own (its ``url`` is the raw ``MEDIA_URL``
path), so the view applies the same collection view restrictions as documents (a private
collection sends visitors to the site's sign-in page), answers ``If-None-Match`` and
``If-Modified-Since`` from an ``ETag`` and ``Last-Modified`` made of the file's size and
modification time, and hands the file to the same ``with_range``.

Both routes sit in front of Wagtail's in ``huiai.urls``.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from wagtail.documents.views import serve as wagtail_serve

from wagtailmedia import get_media_model
from wagtailmedia.models import AbstractMedia

SINGLE_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")
UNSATISFIABLE = "unsatisfiable"


def parse_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """The inclusive ``(first, last)`` byte positions asked for, ``UNSATISFIABLE``, or ``None``
    when the whole file should be sent."""
    if not header:
        return None
    unit, _sep, ranges = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in ranges:
        return None
    match = SINGLE_RANGE.match(ranges)
    if match is None or match.group(1) == match.group(2) == "":
        return UNSATISFIABLE
    first, last = match.groups()
    if first == "":  # a suffix: the last n bytes
        length = int(last)
        if length == 0 or size == 0:
            return UNSATISFIABLE
        return max(size - length, 0), size - 1
    first = int(first)
    last = size - 1 if last == "" else min(int(last), size - 1)
    if first >= size or first > last:
        return UNSATISFIABLE
    return first, last


def _if_range_matches(request: HttpRequest, response: HttpResponseBase) -> bool:
    """``If-Range`` names the current version (strong ETag or exact Last-Modified), or is absent."""
    condition = request.headers.get("If-Range")
    if condition is None:
        return True
    condition = condition.strip()
    if condition.startswith('"'):
        return bool(condition == response.get("ETag"))
    return bool(condition == response.get("Last-Modified"))


def _read(filelike: IO[bytes], length: int, block_size: int) -> Iterator[bytes]:
    while length > 0:
        chunk = filelike.read(min(block_size, length))
        if not chunk:
            break
        length -= len(chunk)
        yield chunk


def with_range(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Turns a full ``FileResponse`` into the byte range the request asks for, if any."""
    filelike = getattr(response, "file_to_stream", None)
    if response.status_code != 200 or not isinstance(response, FileResponse) or filelike is None:
        return response
    response["Accept-Ranges"] = "bytes"
    try:
        size = int(response["Content-Length"])
    except (KeyError, ValueError):
        return response
    if not _if_range_matches(request, response):
        return response
    wanted = parse_range(request.headers.get("Range"), size)
    if wanted is None:
        return response
    if isinstance(wanted, str):  # UNSATISFIABLE, the one text it answers
        # Only the file: ``response.close()`` would also send ``request_finished`` in the
        # middle of the request, and that closes the database connection.
        filelike.close()
        refusal = HttpResponse(status=416)
        refusal["Content-Range"] = f"bytes */{size}"
        refusal["Accept-Ranges"] = "bytes"
        return refusal
    first, last = wanted
    filelike.seek(first)
    response.status_code = 206
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Length"] = str(last - first + 1)
    # Not a file any more: the server must not hand the whole file to ``wsgi.file_wrapper``.
    response.streaming_content = _read(filelike, last - first + 1, response.block_size)
    return response


@require_safe
def serve_document(request: HttpRequest, document_id: int, document_filename: str) -> HttpResponseBase:
    """Wagtail's document serve view (privacy, signal, ETag), answering ``Range`` requests."""
    response = wagtail_serve.serve(request, document_id, document_filename)
    return with_range(request, response)


def serve_stored_file(request: HttpRequest, storage: Storage, name: str, filename: str) -> HttpResponseBase:
    """A file from ``storage`` as a ``FileResponse`` that answers conditional and ``Range``
    requests: ``304`` when the visitor has this version, else the whole file or one range."""
    try:
        size = storage.size(name)
        modified = int(storage.get_modified_time(name).timestamp())
    except (FileNotFoundError, NotImplementedError) as error:
        raise Http404("The file is missing from storage.") from error
    validators = {"ETag": quote_etag(f"{modified:x}-{size:x}"), "Last-Modified": http_date(modified)}
    conditional = get_conditional_response(request, etag=validators["ETag"], last_modified=modified)
    if conditional is not None:  # 304 Not Modified, or 412 for a failed If-Match
        for header, value in validators.items():
            conditional[header] = value
        return conditional
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(storage.open(name, "rb"), content_type=content_type, filename=filename)
    for header, value in validators.items():
        response[header] = value
    response["X-Content-Type-Options"] = "nosniff"
    return with_range(request, response)


def media_file_url(media_item: AbstractMedia, filename: str | None = None) -> str:
    """Where ``serve_media`` serves a wagtailmedia item's file (or, given its name, thumbnail)."""
    return reverse("serve_media", args=[media_item.pk, filename or media_item.filename])


@require_safe
def serve_media(request: HttpRequest, media_id: int, filename: str) -> HttpResponseBase:
    """A wagtailmedia item's file or thumbnail, named in the URL, behind its collection's view
    restrictions (the same check as for Wagtail documents), answering ``Range`` requests."""
    media_item = get_object_or_404(get_media_model().objects.select_related("collection"), pk=media_id)
    if filename == media_item.filename:
        stored = media_item.file
    elif media_item.thumbnail and filename == media_item.thumbnail_filename:
        stored = media_item.thumbnail
    else:
        raise Http404("This media item has no file of that name.")
    # Most collections are public: one query says so, and a range request of a playing video
    # costs no more. A private one goes through Wagtail's own check for documents.
    private = media_item.collection.get_view_restrictions().exists()
    if private:
        from wagtail.documents.wagtail_hooks import check_view_restrictions

        refusal: HttpResponseBase | None = check_view_restrictions(media_item, request)
        if refusal is not None:
            return refusal
    response = serve_stored_file(request, stored.storage, stored.name, filename)
    if private:
        patch_cache_control(response, private=True)  # never kept by a shared cache
    return response
