"""The site's 500 handler: a database that cannot be reached answers 503, not 500.

Django calls ``handler500`` from inside the ``except`` block of the request that failed, so the
exception is still ``sys.exc_info()``, wherever it was raised (a view, the session or the
authentication middleware). ``OperationalError`` and ``InterfaceError`` are the database being
unreachable, restarting or out of connections: the person is told the site is briefly
unavailable and that what they were sending was not received, with ``Retry-After``. Any other
error keeps Django's own 500 page (templates/500.html). Neither page reads the database.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def database_unreachable() -> bool:
    """Whether the error being handled is the database being out of reach."""
    return isinstance(sys.exc_info()[1], UNAVAILABLE_ERRORS)


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    if not database_unreachable():
        return defaults.server_error(request, template_name)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
