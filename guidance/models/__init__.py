"""Guidance plans (家庭教育指导计划), court orders (家庭教育指导令) and sealed completion reports.

What is kept about a family here: each guardian's name (encrypted, as the handler or the court
order gives it) and mobile number (to send the one-time link), and, once they sign in, their
account. No child's name: a plan points at its case (whose students are the case's business) or
at its court order, and a guardian sees only their own plan, never the case.
"""

from .orders import Court, CourtLiaison, CourtOrder
from .plans import GuardianInvitation, GuidancePlan, PlanBooking, PlanEvent, PlanGuardian
from .reports import CompletionReport, ReportIsSealed

__all__ = [
    "CompletionReport",
    "Court",
    "CourtLiaison",
    "CourtOrder",
    "GuardianInvitation",
    "GuidancePlan",
    "PlanBooking",
    "PlanEvent",
    "PlanGuardian",
    "ReportIsSealed",
]
