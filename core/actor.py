"""Who is acting in this request, for records written far from the view (signal receivers).

``CurrentActorMiddleware`` sets the request's user for the duration of the request and resets
it afterwards, so nothing leaks into the next request on the same thread. Outside a request
(shell, workers, migrations) there is no actor: ``current_actor()`` is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

# The request's user: a signed-in user, an AnonymousUser, or whatever a test request carries.
_actor: ContextVar[Any] = ContextVar("huiai_current_actor", default=None)


def current_actor() -> Any:
    """The signed-in user of the current request, or ``None``."""
    user = _actor.get()
    return user if user is not None and getattr(user, "is_authenticated", False) else None


class CurrentActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _actor.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)
