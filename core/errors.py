"""The one base of domain errors: a rule refused what someone asked for.

Every app's workflow raises a subclass (``schools.services.WorkflowError``,
``courses.services.EnrolmentError``, ``courses.quizzes.QuizError``,
``courses.certificates.CertificateError``, ``alliance.services.RegistrationError``). Views catch
it and show ``message`` to the person at the screen, so a message is always written for them,
translated, and never names another family's data. ``str(error)`` is the message as it read
when the error was raised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A rule refused an action; ``message`` is shown to the person who asked."""

    def __init__(self, message: StrOrPromise) -> None:
        self.message = message
        super().__init__(str(message))
