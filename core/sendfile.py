"""Documents handed to nginx with ``X-Accel-Redirect`` after the app's own checks.

Wagtail's document serve view checks collection privacy, sends ``document_served`` and sets
the headers (type, disposition, ETag, CSP), then asks the ``SENDFILE_BACKEND`` for the body
(``wagtail.utils.sendfile``). This backend answers with an empty body and
``X-Accel-Redirect: <SENDFILE_URL><path under MEDIA_ROOT>``: nginx sends the file itself from an
``internal`` location (deploy/nginx.conf), with byte ranges, and no gunicorn worker is held for
the length of a download. Production switches it on with ``HUIAI_X_ACCEL_DOCUMENTS=1`` (only
behind nginx: without the proxy, visitors would get empty documents).

Case attachments never come here: they are encrypted at rest and only the app can decrypt them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse


def sendfile(request: HttpRequest, filename: str, **options: Any) -> HttpResponse:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = Path(filename).resolve()
    if not path.is_relative_to(root):
        raise Http404("Only files under MEDIA_ROOT are handed to the proxy.")
    response = HttpResponse(content_type=options.get("mimetype"))
    response["X-Accel-Redirect"] = settings.SENDFILE_URL + quote(path.relative_to(root).as_posix())
    # nginx sets the length of what it sends; Wagtail's sendfile also sets it from the file.
    return response
