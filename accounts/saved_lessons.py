"""Lessons saved on a phone belong to one account: the storage key, and clearing them on sign-out.

A parent's saved lessons (「离线保存」, ``static/js/offline-lessons.js``) are signed-in pages and
their media, kept in the browser's Cache Storage under ``huiai-saved-<storage key>``, with a
list and a progress queue in IndexedDB marked with the same key. The key is derived from the
account by the server (an HMAC of its id: nothing about the account can be read from it), and
every signed-in page carries it (``accounts.context_processors.display``), so:

* the service worker answers an offline page only from the cache of the account whose page
  was last opened online (``templates/home/service-worker.js``), never from another's;
* a page opened with another account's key wipes the previous account's saved lessons and
  queue (a phone passed from one parent to another, or a session that expired unseen);
* signing out answers with ``Clear-Site-Data: "storage"`` (``ClearSavedLessonsMiddleware``),
  which makes the browser drop Cache Storage, IndexedDB and the worker; the sign-out button's
  script does the same for browsers that ignore the header.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.crypto import salted_hmac

SIGNED_OUT_FLAG = "_huiai_signed_out"


def storage_key(user) -> str:
    """The name the account's saved lessons are kept under on a phone; "" when signed out."""
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("accounts.saved_lessons.storage_key", str(user.pk)).hexdigest()[:24]


@receiver(user_logged_out, dispatch_uid="huiai_saved_lessons_signed_out")
def note_sign_out(sender, request, user, **kwargs) -> None:
    if request is not None:
        setattr(request, SIGNED_OUT_FLAG, True)


class ClearSavedLessonsMiddleware:
    """``Clear-Site-Data: "storage"`` on the response to any request that signed the account out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if getattr(request, SIGNED_OUT_FLAG, False):
            response["Clear-Site-Data"] = '"storage"'
        return response
