"""Guidance plans' rules: the one package through which plans, orders and reports change.

``plans`` (creating a plan, the guardians' one-time links), ``orders`` (court orders),
``progress`` (what was done; each fact recorded once on the plan and the case timeline),
``reports`` (sealed, signed completion reports), ``escalation`` (the beat task's alerts).
"""

from .courts import add_court, add_liaison, remove_liaison
from .errors import GuidanceError, InvitationError
from .escalation import escalate_plans
from .orders import register_order, sessions_for_hours
from .plans import (
    Guardian,
    claim_invitation,
    create_plan,
    open_invitation,
    record_assessment,
    resend_invitation,
    send_invitation,
)
from .progress import Progress, progress_of, sync
from .reports import FileCheck, check_file, check_upload, find, issue_report, verify_url
from .sessions import bookings_of, link_booking

__all__ = [
    "Guardian",
    "GuidanceError",
    "InvitationError",
    "Progress",
    "add_court",
    "add_liaison",
    "bookings_of",
    "FileCheck",
    "check_file",
    "check_upload",
    "claim_invitation",
    "create_plan",
    "escalate_plans",
    "find",
    "issue_report",
    "link_booking",
    "open_invitation",
    "progress_of",
    "record_assessment",
    "register_order",
    "remove_liaison",
    "resend_invitation",
    "send_invitation",
    "sessions_for_hours",
    "sync",
    "verify_url",
]
