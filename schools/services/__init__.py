"""The case workflow: the one package through which every view changes or reads a case.

Who may do what, which state may follow which, the deadlines and the mandatory-report path
live here and nowhere else. Each change locks the case row, records a ``CaseEvent`` on the
timeline and an ``AuditLog`` entry, and writes its notifications to the outbox in the same
transaction. An illegal step raises ``WorkflowError`` with a message for the person at the
screen; a person without the right to act raises ``PermissionDenied``.

Split by workflow: ``workflow`` (the one table of steps: which step may be taken in which
state and by whom; the steps' guards and the action menu both derive from it), ``errors``,
``drafts`` (saving a report before it is submitted), ``deadlines``, ``completeness``, ``steps``
(state changes, handler, consultations, notes), ``escalation``, ``anonymous`` (anonymous
filing, form keys, receipts, attachments) and ``reporter`` (messages with the anonymous
reporter). Read-only
questions (who may see which case) live in ``schools.selectors`` and are re-exported here
so that callers keep writing ``services.cases_visible_to(...)``.
"""

from ..selectors import (
    can_file_reports,
    can_read_audit_log,
    can_view,
    cases_visible_to,
    is_district,
    is_school_actor,
    parts_shown,
    school_ids_of,
    school_officers,
    sees_whole_report,
    timeline,
)
from .anonymous import (
    BULK_WINDOW_SECONDS,
    FORM_KEY_DAYS,
    REPORTER,
    AnonymousSubmission,
    claim_form_key,
    earlier_submission,
    forget_sealed_codes,
    store_attachment,
    submit_anonymous,
)
from .completeness import missing_for_submission
from .deadlines import acknowledge_due, add_working_days, determination_due
from .drafts import TokenTaken, draft_for_token, save_draft, token_taken
from .errors import IncompleteReport, WorkflowError
from .escalation import OVERDUE_STEPS, escalate_overdue, overdue_cases
from .guidance_events import add_guidance_event
from .reporter import REPORTER_STATUS, find_by_receipt, post_reporter_message, reply_to_reporter, reporter_status
from .steps import (
    TRANSITIONS,
    SubmitResult,
    acknowledge,
    add_consultation,
    add_note,
    assign_handler,
    close,
    determine,
    possible_handlers,
    request_review,
    start_handling,
    start_investigation,
    submit,
)
from .workflow import WORKFLOW, Party, Transition, available_actions, check

__all__ = [
    "BULK_WINDOW_SECONDS",
    "FORM_KEY_DAYS",
    "OVERDUE_STEPS",
    "REPORTER",
    "REPORTER_STATUS",
    "TRANSITIONS",
    "WORKFLOW",
    "AnonymousSubmission",
    "IncompleteReport",
    "Party",
    "SubmitResult",
    "TokenTaken",
    "Transition",
    "WorkflowError",
    "acknowledge",
    "acknowledge_due",
    "add_consultation",
    "add_guidance_event",
    "add_note",
    "add_working_days",
    "assign_handler",
    "available_actions",
    "can_file_reports",
    "can_read_audit_log",
    "can_view",
    "check",
    "cases_visible_to",
    "claim_form_key",
    "close",
    "determination_due",
    "determine",
    "draft_for_token",
    "earlier_submission",
    "escalate_overdue",
    "find_by_receipt",
    "forget_sealed_codes",
    "is_district",
    "is_school_actor",
    "missing_for_submission",
    "overdue_cases",
    "parts_shown",
    "possible_handlers",
    "post_reporter_message",
    "reply_to_reporter",
    "reporter_status",
    "request_review",
    "save_draft",
    "school_ids_of",
    "sees_whole_report",
    "timeline",
    "school_officers",
    "start_handling",
    "start_investigation",
    "store_attachment",
    "submit",
    "submit_anonymous",
    "token_taken",
]
