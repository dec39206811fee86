"""The anonymous reporter's side: finding a case by receipt, messages both ways, the status shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import audit, notifications
from ..models import (
    AnonymousReceipt,
    AuditLog,
    BullyingReport,
    CaseMessage,
    State,
)
from ..selectors import is_district
from .anonymous import BULK_WINDOW_SECONDS, REPORTER
from .steps import _locked, _reason
from .workflow import check

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from ..selectors import Actor


def find_by_receipt(code: str) -> BullyingReport | None:
    """The anonymous report for ``code``, or None; unknown and malformed codes look the same."""
    from .. import receipts

    receipt = AnonymousReceipt.objects.filter(code_hash=receipts.code_hash(code)).select_related("report").first()
    if receipt is None or not receipts.looks_valid(code):
        return None
    audit.record(REPORTER, AuditLog.Action.REPORTER_VIEW, receipt.report)
    return receipt.report


def post_reporter_message(report: BullyingReport, *, body: str, announce: bool = True) -> CaseMessage:
    """The anonymous reporter writes to the handler; the handler (or the district) is told.

    With ``announce=False`` (more messages on this report than the hourly limit) the message is
    stored all the same and announced once for the rest of the hour.
    """
    body = _reason(body, True)
    with transaction.atomic():
        message = CaseMessage.objects.create(report=report, author_kind=CaseMessage.Author.REPORTER, body=body)
        audit.record(REPORTER, AuditLog.Action.MESSAGE, report, message=message.pk)
        # Only the district hears of the reporter's messages: a school officer who handles the
        # case is not told (the thread is private to the district).
        handler = report.handler
        recipients = [handler] if handler is not None and is_district(handler) else list(notifications.district_staff())
        notifications.queue(
            recipients,
            subject=_("New message from the reporter of case %(number)s") % {"number": report.case_number},
            body=_("The anonymous reporter wrote a message: %(link)s") % {"link": notifications.case_url(report)},
            report=report,
            dedupe=(
                f"reporter-message:{message.pk}"
                if announce
                else f"reporter-messages:{report.pk}:{int(timezone.now().timestamp() // BULK_WINDOW_SECONDS)}"
            ),
        )
    return message


def reply_to_reporter(report: BullyingReport, *, by: Actor, body: str) -> CaseMessage:
    with transaction.atomic():
        report = _locked(report)
        author = check("reply_to_reporter", report=report, by=by)
        message = CaseMessage.objects.create(
            report=report, author_kind=CaseMessage.Author.HANDLER, author=author, body=_reason(body, True)
        )
        audit.record(by, AuditLog.Action.MESSAGE, report, message=message.pk)
        return message


REPORTER_STATUS: dict[str, StrOrPromise] = {
    State.SUBMITTED: gettext_lazy("Received: the district centre will look at it within one working day."),
    State.ACKNOWLEDGED: gettext_lazy(
        "Accepted: the school has been asked to look into it, with a summary from the district centre."
    ),
    State.INVESTIGATING: gettext_lazy("Being looked into."),
    State.DETERMINED: gettext_lazy("A decision has been made; measures are being planned."),
    State.HANDLING: gettext_lazy("Being handled: measures are under way."),
    State.CLOSED: gettext_lazy("Closed."),
    State.REVIEW_REQUESTED: gettext_lazy("Being reviewed again."),
}


def reporter_status(report: BullyingReport) -> str:
    """The status in words a student understands; no internal details."""
    return str(REPORTER_STATUS.get(report.state, ""))
