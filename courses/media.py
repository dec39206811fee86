"""Byte ranges for lesson media: seeking and resuming a video needs ``206 Partial Content``.

Lessons play Wagtail documents from Wagtail's own serve view (``/documents/<id>/<name>``),
which checks collection privacy (the ``before_serve_document`` hooks), sends the
``document_served`` signal and answers conditional requests, but always sends the whole
file: a browser could not seek in a video it has not fully downloaded, nor resume a lesson
at the saved point. ``serve_document`` wraps that view, so whatever it refuses or redirects
stays refused or redirected, and turns its full ``200`` file response into one byte range
when the request asks for one (RFC 9110 §14):

* ``Range: bytes=a-b``, ``bytes=a-`` and ``bytes=-n`` get ``206`` with ``Content-Range``;
* a range that cannot be satisfied (starting past the end, ``b < a``, ``bytes=-0``) or
  cannot be read gets ``416`` with ``Content-Range: bytes */size``;
* other units, several ranges at once, or an ``If-Range`` that no longer matches the
  file's ``ETag`` or ``Last-Modified`` get the whole file (a server may always do that);
* every file response says ``Accept-Ranges: bytes``.

The route sits in front of Wagtail's in ``huiai.urls``; ``Document.url`` is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.http import FileResponse, HttpResponse
from django.views.decorators.http import require_safe

from wagtail.documents.views import serve as wagtail_serve

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


def _if_range_matches(request, response) -> bool:
    """``If-Range`` names the current version (strong ETag or exact Last-Modified), or is absent."""
    condition = request.headers.get("If-Range")
    if condition is None:
        return True
    condition = condition.strip()
    if condition.startswith('"'):
        return condition == response.get("ETag")
    return condition == response.get("Last-Modified")


def _read(filelike, length: int, block_size: int) -> Iterator[bytes]:
    while length > 0:
        chunk = filelike.read(min(block_size, length))
        if not chunk:
            break
        length -= len(chunk)
        yield chunk


def with_range(request, response):
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
    if wanted == UNSATISFIABLE:
        response.close()
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
def serve_document(request, document_id, document_filename):
    """Wagtail's document serve view (privacy, signal, ETag), answering ``Range`` requests."""
    response = wagtail_serve.serve(request, document_id, document_filename)
    return with_range(request, response)
