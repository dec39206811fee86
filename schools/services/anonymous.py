"""Anonymous reports: filing, form keys, sealed receipt codes, bulk announcements, attachments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, notifications
from ..models import (
    AnonymousReceipt,
    AuditLog,
    BullyingReport,
    CaseEvent,
    FormKey,
    School,
    State,
)

# --- Anonymous reports ----------------------------------------------------------------------------
from .deadlines import acknowledge_due
from .steps import _announce_new_case, _event, _take_case_number

if TYPE_CHECKING:
    from accounts.models import User
    from core.uploads import CheckedFile

# The anonymous reporter as an actor: no account, recorded with the role "anonymous".
REPORTER = AnonymousUser()


@dataclass
class AnonymousSubmission:
    report: BullyingReport
    receipt_code: str | None
    created: bool = True


def earlier_submission(submission_key: str) -> AnonymousSubmission | None:
    """The report a form with ``submission_key`` already filed, with its code while it may be shown."""
    from .. import receipts

    receipt = (
        AnonymousReceipt.objects.filter(submission_hash=receipts.submission_hash(submission_key))
        .select_related("report")
        .first()
    )
    if receipt is None:
        return None
    return AnonymousSubmission(receipt.report, receipts.unseal(receipt.sealed_code, submission_key), created=False)


def submit_anonymous(
    *,
    school: School,
    reporter_kind: str,
    narrative: str,
    contact: str = "",
    attachment: CheckedFile | None = None,
    announce: bool = True,
    submission_key: str = "",
    **facts: Any,
) -> AnonymousSubmission:
    """Files an anonymous report straight into the district's queue; returns the one-time code.

    No account, address or browser detail is stored; only the hash of the receipt code. With
    ``announce=False`` (reports arriving faster than the anonymous limits allow, see
    ``schools.public_views``) the report is stored all the same, but marked in its timeline and
    announced in the hour's combined message instead of a message of its own. With
    ``submission_key`` (the form's one-time key) a repeated post files nothing: it returns the
    report the first post filed (``created=False``), with its code for ``RESUBMIT_SECONDS``.
    """
    if submission_key:
        earlier = earlier_submission(submission_key)
        if earlier is not None:
            return earlier
    try:
        return _file_anonymous(
            school=school,
            reporter_kind=reporter_kind,
            narrative=narrative,
            contact=contact,
            attachment=attachment,
            announce=announce,
            submission_key=submission_key,
            **facts,
        )
    except IntegrityError:
        # The same form posted twice at once: the other request filed it (the unique hash).
        earlier = earlier_submission(submission_key) if submission_key else None
        if earlier is None:
            raise
        return earlier


FORM_KEY_DAYS = 1


def claim_form_key(key: str) -> bool:
    """Marks a one-time form key used; False when it already was (a repeated post).

    Call it inside the transaction that saves what the form creates: if that fails, the key is
    free again. An empty key (an old page without one) is always allowed.
    """
    from .. import receipts

    if not key:
        return True
    try:
        with transaction.atomic():
            FormKey.objects.create(key_hash=receipts.submission_hash(key))
    except IntegrityError:
        return False
    return True


def forget_sealed_codes() -> int:
    """Drops sealed receipt codes older than the resubmit window (they open nothing by then) and
    used form keys older than ``FORM_KEY_DAYS``; returns how many receipts were cleared."""
    from .. import receipts

    now = timezone.now()
    FormKey.objects.filter(created_at__lt=now - datetime.timedelta(days=FORM_KEY_DAYS)).delete()
    cutoff = now - datetime.timedelta(seconds=receipts.RESUBMIT_SECONDS)
    return AnonymousReceipt.objects.filter(created_at__lt=cutoff).exclude(sealed_code="").update(sealed_code="")


def _file_anonymous(
    *,
    school: School,
    reporter_kind: str,
    narrative: str,
    contact: str,
    attachment: CheckedFile | None,
    announce: bool,
    submission_key: str,
    **facts: Any,
) -> AnonymousSubmission:
    from .. import receipts

    with transaction.atomic():
        report = BullyingReport(school=school, source=BullyingReport.Source.ANONYMOUS, narrative=narrative, **facts)
        now = timezone.now()
        report.case_number = _take_case_number(now)
        report.state = State.SUBMITTED
        report.submitted_at = now
        report.acknowledge_due_at = acknowledge_due(now)
        report.save()
        code = receipts.new_code()
        AnonymousReceipt.objects.create(
            report=report,
            code_hash=receipts.code_hash(code),
            reporter_kind=reporter_kind,
            contact=contact,
            submission_hash=receipts.submission_hash(submission_key) if submission_key else None,
            sealed_code=receipts.seal(code, submission_key) if submission_key else "",
        )
        if attachment is not None:
            store_attachment(report, upload=attachment, by=None)
        _event(report, REPORTER, CaseEvent.Kind.TRANSITION, from_state=State.DRAFT, to_state=State.SUBMITTED)
        audit.record(REPORTER, AuditLog.Action.ANONYMOUS_REPORT, report)
        if announce:
            _announce_new_case(report)
        else:
            _announce_in_bulk(report)
    return AnonymousSubmission(report, code)


BULK_WINDOW_SECONDS = 60 * 60


def _announce_in_bulk(report: BullyingReport) -> None:
    """One message per hour for every report over the anonymous volume limits (one more, by
    text too, when any of them is a mandatory report): a flood of reports cannot become a flood
    of mail and texts, and no report goes unannounced."""
    _event(
        report,
        REPORTER,
        CaseEvent.Kind.NOTE,
        reason=_(
            "Received while anonymous reports arrived faster than usual; announced in a combined "
            "message, not one of its own. Please check it like any other report."
        ),
    )
    window = int(timezone.now().timestamp() // BULK_WINDOW_SECONDS)
    link = settings.SITE_URL + reverse("schools:case_list")
    if report.is_mandatory_report:
        subject = _("MANDATORY REPORTS among many new anonymous reports")
        dedupe = f"anonymous-bulk-mandatory:{window}"
    else:
        subject = _("Many new anonymous reports")
        dedupe = f"anonymous-bulk:{window}"
    notifications.queue(
        notifications.district_staff(),
        subject=subject,
        body=_(
            "Anonymous reports are arriving faster than usual, so they are announced together in this "
            "message for the hour. Every one of them is in the case list, marked in its timeline: %(link)s"
        )
        % {"link": link},
        report=None,
        sms=report.is_mandatory_report,
        dedupe=dedupe,
    )


def store_attachment(report: BullyingReport, *, upload: CheckedFile, by: User | None) -> None:
    """Stores an ``upload`` ``schools.attachments`` has checked (encrypted by the attachment storage)."""
    from django.core.files.base import ContentFile

    from ..models import Attachment

    item = Attachment(report=report, content_type=upload.content_type, size=len(upload.content), uploaded_by=by)
    item.file.save("upload", ContentFile(upload.content), save=False)
    item.save()
