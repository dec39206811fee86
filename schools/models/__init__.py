"""Schools and bullying cases, split by kind: places (schools), cases, records (audit, outbox)."""

from .cases import (
    Attachment,
    BullyingReport,
    CaseEvent,
    CaseNumberSequence,
    Consultation,
    Escalation,
    InvolvedStudent,
)
from .choices import (
    BullyingType,
    CommitteeRole,
    Determination,
    Frequency,
    Injury,
    MandatoryReason,
    Measure,
    Place,
    Severity,
    SharedPart,
    State,
    mandatory_report_reasons,
)
from .invitations import OfficerInvitation
from .places import School, SchoolMembership, StreetTown
from .records import AnonymousReceipt, AuditLog, AuditLogIsAppendOnly, CaseMessage, FormKey, Notification

__all__ = [
    "AnonymousReceipt",
    "CaseMessage",
    "Attachment",
    "AuditLog",
    "AuditLogIsAppendOnly",
    "BullyingReport",
    "BullyingType",
    "CaseEvent",
    "CaseNumberSequence",
    "CommitteeRole",
    "Consultation",
    "Determination",
    "Escalation",
    "Frequency",
    "Injury",
    "InvolvedStudent",
    "MandatoryReason",
    "Measure",
    "FormKey",
    "Notification",
    "OfficerInvitation",
    "Place",
    "School",
    "SchoolMembership",
    "Severity",
    "SharedPart",
    "State",
    "StreetTown",
    "mandatory_report_reasons",
]
