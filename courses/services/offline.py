"""Progress made on a saved lesson while the phone was offline, sent when it is back online.

A parent may keep a lesson on the phone (「离线保存」, ``static/js/offline-lessons.js``) and read,
watch or listen to it without a connection. What they did is queued on the phone (IndexedDB)
and sent later, one queued entry per request, to the lesson's ``offline-progress/`` route.
The rules are the online ones, applied when the entry arrives:

Watch tokens
    A saved lesson page carries a watch token: the parent's and the lesson's ids signed by the
    server (``django.core.signing``, salted for this purpose) with the time it was issued. A
    queued entry without a valid token, with one older than ``WATCH_TOKEN_MAX_AGE``, or with
    one issued to another account or another lesson is refused. So a phone shared by two
    parents never credits one of them with what the other watched (the queue is sent with
    whoever's session is open when the connection comes back), and an entry cannot be moved
    to a lesson the parent never opened online.

Same completion rules as online
    Watched intervals go through ``record_watched``: they are merged with what the server
    already holds (a union, so sending the same entry twice adds nothing), clipped to the
    running time, and ignored when they claim more watching than the wall-clock time since
    the lesson was first opened allows (``MAX_PLAYBACK_RATE``). A text lesson's 「标记为完成」
    goes through ``mark_text_lesson_done``: the reading time is measured on the server from the
    first opening, whatever the phone says. Completion is sticky, so a replayed "done" is a
    no-op. Nothing in an entry (a percentage, a time stamp from the phone) is trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core import signing
from django.utils.translation import gettext as _

from courses.models import LessonPage, LessonProgress

from .errors import ProgressError
from .progress import mark_text_lesson_done, record_watched

if TYPE_CHECKING:
    from accounts.models import User

WATCH_TOKEN_SALT = "courses.offline-progress"
WATCH_TOKEN_MAX_AGE = timedelta(days=30)


class WatchTokenRefused(ProgressError):
    """The queued entry's token is missing, forged, expired, or someone else's."""


@dataclass(frozen=True)
class QueuedProgress:
    """One queued entry as the phone sends it: watched intervals and a resume point, or "done"."""

    token: str
    intervals: Sequence[Sequence[float]] = ()
    position: float = 0.0
    done: bool = False


def watch_token(parent: User, lesson: LessonPage) -> str:
    """The token a saved copy of ``lesson`` carries for ``parent`` (see the module docstring)."""
    return signing.dumps({"parent": parent.pk, "lesson": lesson.pk}, salt=WATCH_TOKEN_SALT, compress=True)


def check_watch_token(token: str, *, parent: User, lesson: LessonPage) -> None:
    try:
        data = signing.loads(token, salt=WATCH_TOKEN_SALT, max_age=WATCH_TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise WatchTokenRefused(
            _("This lesson was saved too long ago; open it again while online to record your progress.")
        ) from error
    except signing.BadSignature as error:
        raise WatchTokenRefused(_("This progress cannot be recorded.")) from error
    if not isinstance(data, dict) or data.get("parent") != parent.pk or data.get("lesson") != lesson.pk:
        raise WatchTokenRefused(_("This progress was made by another account and is not recorded."))


def record_queued_progress(parent: User, lesson: LessonPage, *, entry: QueuedProgress) -> LessonProgress:
    """Applies one queued entry with the online rules; raises ``ProgressError`` when refused."""
    check_watch_token(entry.token, parent=parent, lesson=lesson)
    if lesson.is_media:
        return record_watched(parent, lesson, intervals=entry.intervals, position=entry.position)
    if not entry.done:
        progress = LessonProgress.objects.filter(parent=parent, lesson=lesson).first()
        if progress is None:
            raise ProgressError(_("Please open the lesson first."))
        return progress
    return mark_text_lesson_done(parent, lesson)
