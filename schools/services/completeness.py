"""What a draft report still misses before it may be submitted."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import (
    BullyingReport,
    mandatory_report_reasons,
)

# --- Completeness ----------------------------------------------------------------------------


def missing_for_submission(report: BullyingReport) -> list[str]:
    """What a report still needs before it can be submitted, in the words of the form."""
    missing = []
    if not report.incident_date:
        missing.append(_("The date of the incident"))
    if not report.place:
        missing.append(_("Where it happened"))
    if not report.bullying_types:
        missing.append(_("At least one kind of bullying"))
    if not (report.narrative or "").strip():
        missing.append(_("What happened"))
    if not report.frequency:
        missing.append(_("How often it happened"))
    if not report.injury:
        missing.append(_("Whether anyone was injured"))
    if not report.severity:
        missing.append(_("The severity"))
    if report.pk is None or not report.students.exists():
        missing.append(_("At least one student involved"))
    elif not report.students.filter(role="target").exists():
        missing.append(_("The student who was bullied (role: target)"))
    if report.guardians_notified is None:
        missing.append(_("Whether the guardians were notified"))
    elif report.guardians_notified and not report.guardians_notified_at:
        missing.append(_("When the guardians were notified"))
    if mandatory_report_reasons(report) and report.police_informed is None:
        missing.append(_("Whether the police were informed (required for a mandatory report)"))
    if report.police_informed and not report.police_informed_at:
        missing.append(_("When the police were informed"))
    if not (report.immediate_measures or "").strip():
        missing.append(_("The immediate measures taken"))
    return missing
