"""Errors of the course workflows: a rule refused an enrolment or a progress change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class EnrolmentError(DomainError):
    """A rule refused an enrolment change; ``message`` is shown to the parent."""


class ProgressError(EnrolmentError):
    """A rule refused a progress change; ``message`` is shown to the parent."""


class TooEarly(ProgressError):
    """The rule is not met *yet* (the reading time is not over): the same request may succeed
    after ``retry_after`` seconds, so a phone keeps a queued entry refused this way."""

    def __init__(self, message: StrOrPromise, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
