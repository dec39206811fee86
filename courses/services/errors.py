"""Errors of the course workflows: a rule refused an enrolment or a progress change."""

from __future__ import annotations

from core.errors import DomainError


class EnrolmentError(DomainError):
    """A rule refused an enrolment change; ``message`` is shown to the parent."""


class ProgressError(EnrolmentError):
    """A rule refused a progress change; ``message`` is shown to the parent."""
