"""Every domain error derives from ``core.errors.DomainError`` and carries the message a view shows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

import pytest

from alliance.services import RegistrationError
from core.errors import DomainError
from courses.certificates import CertificateError
from courses.quizzes import QuizError
from courses.services import EnrolmentError, ProgressError
from schools.invitations import InvitationUnusable
from schools.services import IncompleteReport, WorkflowError


@pytest.mark.parametrize(
    "error",
    [
        EnrolmentError("enrolment refused"),
        ProgressError("progress refused"),
        QuizError("quiz refused"),
        CertificateError("certificate refused"),
        RegistrationError("registration refused", "full"),
        WorkflowError("step refused"),
        InvitationUnusable("invitation refused"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_each_domain_error_is_a_domain_error_whose_message_is_its_text(error):
    assert isinstance(error, DomainError)
    assert error.message.endswith("refused")
    assert str(error) == error.message


def test_a_registration_error_keeps_its_code():
    assert RegistrationError("full", "full").code == "full"


def test_a_lazy_message_stays_lazy_for_the_view_and_is_read_once_for_str():
    message = gettext_lazy("This invitation has expired. Ask the district minors-protection centre for a new one.")
    error = WorkflowError(message)
    assert error.message is message
    assert str(error) == str(message)


def test_an_incomplete_report_lists_what_is_missing():
    error = IncompleteReport(["school", "description"])
    assert isinstance(error, DomainError)
    assert error.missing == ["school", "description"]
    assert str(error) == str(error.message)
