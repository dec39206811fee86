"""The steps of a case: submit, acknowledge, investigate, determine, handle, close, review, assign, consult, note.

Who may take each step and in which state is declared once, in ``workflow.WORKFLOW``; each step
asks ``workflow.check`` under its row lock, then checks its own input and records the change.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role

from .. import audit, notifications
from ..models import (
    AuditLog,
    BullyingReport,
    CaseEvent,
    CaseMessage,
    CaseNumberSequence,
    CommitteeRole,
    Consultation,
    Determination,
    Measure,
    SharedPart,
)
from ..selectors import is_signed_in, school_officers
from .completeness import missing_for_submission
from .deadlines import acknowledge_due, determination_due
from .errors import IncompleteReport, WorkflowError
from .workflow import check, require_party, transition

if TYPE_CHECKING:
    from accounts.models import User

    from ..selectors import Actor

# --- Steps -------------------------------------------------------------------------------------


def _locked(report: BullyingReport) -> BullyingReport:
    return BullyingReport.objects.select_for_update().select_related("school").get(pk=report.pk)


def _event(
    report: BullyingReport,
    by: Actor | None,
    kind: str,
    *,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    consultation: Consultation | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        report=report,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=by if is_signed_in(by) else None,
        actor_role=audit.role_label(by),
        reason=reason,
        consultation=consultation,
    )


def _move(report: BullyingReport, by: Actor, step: str, reason: str = "", **stamps: Any) -> BullyingReport:
    """Takes ``step``: ``report`` moves to the state the step's row in ``WORKFLOW`` leads to."""
    to_state = transition(step).to_state
    if to_state is None:
        raise ValueError(f"{step!r} does not change the state of a case")
    from_state = report.state
    report.state = to_state
    for name, value in stamps.items():
        setattr(report, name, value)
    report.save()
    _event(report, by, CaseEvent.Kind.TRANSITION, from_state=from_state, to_state=to_state, reason=reason)
    audit.record(by, AuditLog.Action.TRANSITION, report, from_state=from_state, to_state=to_state)
    return report


def _reason(reason: str, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise WorkflowError(_("Please write down why."))
    return reason


def _take_case_number(now: datetime.datetime) -> str:
    """The next XH-<year>-NNNN number; the year's counter row is locked until the caller commits."""
    year = timezone.localtime(now).year
    CaseNumberSequence.objects.bulk_create([CaseNumberSequence(year=year)], ignore_conflicts=True)
    CaseNumberSequence.objects.filter(year=year).update(last_number=F("last_number") + 1)
    number = CaseNumberSequence.objects.select_for_update().get(year=year).last_number
    return f"XH-{year}-{number:04d}"


@dataclass
class SubmitResult:
    report: BullyingReport
    created: bool


def submit(report: BullyingReport, *, by: Actor) -> SubmitResult:
    """Turns a complete draft into a case with a number. Submitting twice gives the same case."""
    with transaction.atomic():
        report = _locked(report)
        require_party("submit", report=report, by=by)
        if report.state not in transition("submit").from_states:
            return SubmitResult(report, created=False)
        missing = missing_for_submission(report)
        if missing:
            raise IncompleteReport(missing)
        now = timezone.now()
        report.case_number = _take_case_number(now)
        _move(report, by, "submit", submitted_at=now, acknowledge_due_at=acknowledge_due(now))
        _announce_new_case(report)
    return SubmitResult(report, created=True)


def _announce_new_case(report: BullyingReport) -> None:
    """Every new case reaches the district; a mandatory report goes out at once by text too."""
    link = notifications.case_url(report)
    if report.is_mandatory_report:
        subject = _("MANDATORY REPORT %(number)s from %(school)s") % {
            "number": report.case_number,
            "school": report.school.name,
        }
        body = _("A mandatory report (%(reasons)s) was filed. Please act now: %(link)s") % {
            "reasons": "; ".join(report.get_mandatory_reasons_display()),
            "link": link,
        }
    else:
        subject = _("New bullying report %(number)s from %(school)s") % {
            "number": report.case_number,
            "school": report.school.name,
        }
        body = _("A new report waits to be acknowledged: %(link)s") % {"link": link}
    notifications.queue(
        notifications.district_staff(),
        subject=subject,
        body=body,
        report=report,
        sms=report.is_mandatory_report,
        dedupe=f"submitted:{report.pk}",
    )


def acknowledge(
    report: BullyingReport,
    *,
    by: Actor,
    reason: str = "",
    school_summary: str = "",
    shared_parts: Sequence[str] = (),
) -> BullyingReport:
    """The district accepts a report and asks the school to investigate.

    An anonymous report is not forwarded as it is: district staff write the ``school_summary``
    the school reads instead of the reporter's words, and choose which ``shared_parts``
    (``SharedPart``) it sees with it. The reporter, their contact and their messages stay with
    the district; the reporter is told in their thread that the school now has a summary.
    """
    with transaction.atomic():
        report = _locked(report)
        check("acknowledge", report=report, by=by)
        if report.source == BullyingReport.Source.ANONYMOUS:
            _share_with_school(report, summary=school_summary, parts=shared_parts)
        acknowledged_at = timezone.now()
        report = _move(report, by, "acknowledge", _reason(reason, False), acknowledged_at=acknowledged_at)
        if report.source == BullyingReport.Source.ANONYMOUS:
            _tell_reporter_the_school_is_involved(report)
        notifications.queue(
            school_officers(report.school_id),
            subject=_("Case %(number)s: please start the investigation") % {"number": report.case_number},
            body=_("The district centre acknowledged case %(number)s. Please start the investigation: %(link)s")
            % {"number": report.case_number, "link": notifications.case_url(report)},
            report=report,
            dedupe=f"acknowledged:{report.pk}:{acknowledged_at.isoformat()}",
        )
        return report


def _share_with_school(report: BullyingReport, *, summary: str, parts: Sequence[str]) -> None:
    summary = (summary or "").strip()
    if not summary:
        raise WorkflowError(
            _("Write a summary for the school: it reads your summary, never the reporter's own words or messages.")
        )
    if any(part not in SharedPart.values for part in parts):
        raise WorkflowError(_("Choose only parts of the report that may be shared with the school."))
    report.school_summary = summary
    report.shared_with_school = [part for part in SharedPart.values if part in parts]


def _tell_reporter_the_school_is_involved(report: BullyingReport) -> None:
    CaseMessage.objects.create(
        report=report,
        author_kind=CaseMessage.Author.NOTICE,
        body=_(
            "The district centre has read your report and asked the school to look into it. The school "
            "received a short summary written by the district centre: not your own words, not your "
            "messages here and not how to reach you. Your messages here still go only to the district centre."
        ),
    )


def start_investigation(report: BullyingReport, *, by: Actor, reason: str = "") -> BullyingReport:
    with transaction.atomic():
        report = _locked(report)
        check("start_investigation", report=report, by=by)
        now = timezone.now()
        return _move(
            report,
            by,
            "start_investigation",
            _reason(reason, False),
            investigation_started_at=now,
            determination_due_at=determination_due(now),
        )


def determine(
    report: BullyingReport, *, by: Actor, determination: str, committee_roles: list[str], reason: str
) -> BullyingReport:
    """Records the school bullying committee's decision and who sat on it (by role).

    Investigation, determination and measures are the school's steps; the district watches,
    consults, assigns and may close.
    """
    with transaction.atomic():
        report = _locked(report)
        check("determine", report=report, by=by)
        if determination not in Determination.values:
            raise WorkflowError(_("Choose what the committee decided."))
        roles = [role for role in committee_roles if role in CommitteeRole.values]
        if not roles or len(roles) != len(committee_roles):
            raise WorkflowError(_("Choose the roles of the committee members who decided."))
        report.determination = determination
        report.committee_roles = roles
        return _move(report, by, "determine", _reason(reason, True), determined_at=timezone.now())


def start_handling(report: BullyingReport, *, by: Actor, measures: list[str], reason: str = "") -> BullyingReport:
    with transaction.atomic():
        report = _locked(report)
        check("start_handling", report=report, by=by)
        chosen = [measure for measure in measures if measure in Measure.values]
        if not chosen or len(chosen) != len(measures):
            raise WorkflowError(_("Choose at least one measure."))
        report.measures = chosen
        return _move(report, by, "start_handling", _reason(reason, False), handling_started_at=timezone.now())


def close(report: BullyingReport, *, by: Actor, reason: str) -> BullyingReport:
    """Closes a handled case, or a determined one where the committee found no bullying."""
    with transaction.atomic():
        report = _locked(report)
        check("close", report=report, by=by)
        return _move(report, by, "close", _reason(reason, True), closed_at=timezone.now())


def request_review(report: BullyingReport, *, by: Actor, reason: str) -> BullyingReport:
    """A party asks for a review within the set period; the case reopens for investigation."""
    with transaction.atomic():
        report = _locked(report)
        check("request_review", report=report, by=by)
        return _move(report, by, "request_review", _reason(reason, True))


# The state-changing steps of the case page by name (the views run them with a reason).
TRANSITIONS: dict[str, Callable[..., BullyingReport]] = {
    "acknowledge": acknowledge,
    "start_investigation": start_investigation,
    "determine": determine,
    "start_handling": start_handling,
    "close": close,
    "request_review": request_review,
}


def possible_handlers(report: BullyingReport) -> QuerySet[User]:
    """District staff, and officers of the case's school."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__name=Role.DISTRICT_STAFF.group_name)
            | Q(school_memberships__school=report.school_id, groups__name=Role.SCHOOL_OFFICER.group_name)
        )
        .distinct()
        .order_by("name", "pk")
    )


def assign_handler(report: BullyingReport, *, by: Actor, handler: User) -> BullyingReport:
    with transaction.atomic():
        report = _locked(report)
        check("assign_handler", report=report, by=by)
        if not possible_handlers(report).filter(pk=handler.pk).exists():
            raise WorkflowError(_("This person cannot handle cases of this school."))
        report.handler = handler
        report.save(update_fields=["handler", "updated_at"])
        _event(report, by, CaseEvent.Kind.ASSIGNMENT, reason=handler.get_full_name() or handler.get_username())
        audit.record(by, AuditLog.Action.ASSIGN, report, handler=handler.pk)
        notifications.queue(
            [handler],
            subject=_("You handle case %(number)s") % {"number": report.case_number},
            body=_("You were assigned case %(number)s: %(link)s")
            % {"number": report.case_number, "link": notifications.case_url(report)},
            report=report,
        )
        return report


def add_consultation(
    report: BullyingReport,
    *,
    by: Actor,
    held_on: datetime.date,
    participating_bodies: str,
    conclusions: str,
    follow_up_actions: str = "",
) -> Consultation:
    with transaction.atomic():
        report = _locked(report)
        recorded_by = check("add_consultation", report=report, by=by)
        if not participating_bodies.strip() or not conclusions.strip():
            raise WorkflowError(_("Write down which bodies took part and what was concluded."))
        consultation = Consultation.objects.create(
            report=report,
            held_on=held_on,
            participating_bodies=participating_bodies.strip(),
            conclusions=conclusions.strip(),
            follow_up_actions=follow_up_actions.strip(),
            recorded_by=recorded_by,
        )
        _event(report, by, CaseEvent.Kind.CONSULTATION, consultation=consultation)
        audit.record(by, AuditLog.Action.CONSULTATION, report, consultation=consultation.pk)
        return consultation


def add_note(report: BullyingReport, *, by: Actor, text: str) -> CaseEvent:
    with transaction.atomic():
        report = _locked(report)
        check("add_note", report=report, by=by)
        event = _event(report, by, CaseEvent.Kind.NOTE, reason=_reason(text, True))
        audit.record(by, AuditLog.Action.NOTE, report, event=event.pk)
        return event
