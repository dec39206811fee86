"""长辈模式 (elder mode): the browser's half of the switch.

Elder mode shows the same pages in larger type with larger buttons, high contrast, no motion
and fewer choices first (MIIT's 2020 适老化 programme; GB/T 37668-2019). The switch is
remembered twice:

* in the browser, by the ``huiai_elder`` cookie (``1`` on, anything else off), read here so
  that ``core.page_cache`` can keep the two renderings of an anonymous page apart;
* on the account (``accounts.User.elder_mode``), so a signed-in grandparent gets it on any phone.

Which one wins on a page is decided in ``accounts.context_processors.display``: the account's
when signed in, the cookie's otherwise. The cookie carries no personal data (a display choice,
like the language cookie) and is set by ``accounts.views.set_elder_mode``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

COOKIE_NAME = "huiai_elder"
COOKIE_AGE = 365 * 24 * 60 * 60
ON = "1"


def requested_by_browser(request: HttpRequest) -> bool:
    """Whether this browser's cookie asks for elder mode."""
    return request.COOKIES.get(COOKIE_NAME) == ON


def remember(response: HttpResponseBase, *, on: bool) -> None:
    """Stores the choice in the browser (a year, first-party, not readable by scripts)."""
    if on:
        response.set_cookie(
            COOKIE_NAME,
            ON,
            max_age=COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
        )
    else:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
