"""Errors of the case workflow: a step the case's state or the given facts do not allow."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.errors import DomainError


class WorkflowError(DomainError):
    """A step the case's state or the given facts do not allow; ``message`` is shown to the user."""


class IncompleteReport(WorkflowError):
    """Submitting a report that still misses required facts; ``missing`` lists them."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(gettext_lazy("The report is not complete yet. Please fill in what is missing."))
