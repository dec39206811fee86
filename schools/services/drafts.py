"""Report drafts: a school officer saves a new or unfinished report, as often as they like.

A new report form carries a random ``draft_token``; the first save creates the draft with it
and every repeat of the same post (a double click, a resent form, two requests at once)
finds that draft again instead of creating a second one. Only the user's own draft among the
cases they may see is found by its token: a token copied from anywhere else never opens
someone else's draft, and a token already taken by another report raises ``TokenTaken``.
Each save is one transaction with its students, its attachment and its ``AuditLog`` entry.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from .. import audit
from ..models import AuditLog, BullyingReport
from ..selectors import cases_visible_to
from .anonymous import store_attachment

if TYPE_CHECKING:
    from django.forms import BaseInlineFormSet

    from accounts.models import User
    from core.uploads import CheckedFile

    from ..forms import InvolvedStudentForm
    from ..models import InvolvedStudent


class TokenTaken(Exception):
    """The posted ``draft_token`` names a report this user did not start with that form."""


def draft_for_token(user: User, *, token: uuid.UUID | None) -> BullyingReport | None:
    """The report this user's new form already created (a double-clicked or repeated post), if any."""
    if token is None:
        return None
    return cases_visible_to(user).filter(draft_token=token, created_by=user).first()


def token_taken(token: uuid.UUID | None) -> bool:
    return token is not None and BullyingReport.objects.filter(draft_token=token).exists()


def save_draft(
    *,
    report: BullyingReport,
    students: BaseInlineFormSet[InvolvedStudent, BullyingReport, InvolvedStudentForm],
    by: User,
    draft_token: uuid.UUID | None,
    attachment: CheckedFile | None = None,
    replace_students: bool = False,
) -> BullyingReport:
    """Saves ``report`` (a form's unsaved instance) with its ``students`` formset and a checked
    ``attachment``; a new report gets ``by`` as its author and ``draft_token`` (or a fresh one).

    ``replace_students`` replaces the students already saved instead of adding to them: a
    repeated post of the new form carries the whole list again.
    """
    creating = report.pk is None
    try:
        with transaction.atomic():
            if creating:
                report.created_by = by
                report.draft_token = draft_token or uuid.uuid4()
            report.save()
            if replace_students:
                report.students.all().delete()
            students.instance = report
            students.save()
            if attachment:
                store_attachment(report, upload=attachment, by=by)
            audit.record(
                by,
                AuditLog.Action.CREATE if creating else AuditLog.Action.UPDATE,
                report,
                attachment=bool(attachment),
            )
    except IntegrityError:
        # The same new form was posted twice at once: the other request created the draft.
        existing = draft_for_token(by, token=draft_token) if creating else None
        if existing is None:
            if creating and token_taken(draft_token):
                raise TokenTaken from None
            raise
        report = existing
    return report
