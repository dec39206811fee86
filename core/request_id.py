"""One id per request, in the response and in every log line written while it runs.

nginx makes the id (``$request_id``, sent as ``X-Request-ID`` by deploy/nginx-proxy.conf) and
writes it in its own access log; the app takes it when it looks like one (8–64 letters, digits
or dashes: nothing a client could use to forge log lines), else makes its own. The id is echoed
in the ``X-Request-ID`` response header, so a user's report of a failure ("error at 10:02, id
…") leads to the proxy's line, gunicorn's line and the app's lines of that one request.

``RequestIdLogFilter`` (on the handlers in ``LOGGING``) puts it on every record as
``request_id`` ("-" outside a request: Celery tasks, management commands).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest
from django.http.response import HttpResponseBase

HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"^[A-Za-z0-9-]{8,64}$")
_current: ContextVar[str] = ContextVar("request_id", default="-")


def current() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        sent = request.headers.get(HEADER, "")
        request_id = sent if WELL_FORMED.match(sent) else uuid.uuid4().hex
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
