"""Errors of the course workflows: a rule refused an enrolment or a progress change."""

from __future__ import annotations


class EnrolmentError(Exception):
    """A rule refused an enrolment change; ``message`` is shown to the parent."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ProgressError(EnrolmentError):
    """A rule refused a progress change; ``message`` is shown to the parent."""
