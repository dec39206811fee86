"""The case workflow: the one module through which every view changes or reads a case.

Who may do what, which state may follow which, the deadlines and the mandatory-report path
live here and nowhere else. Each change locks the case row, records a ``CaseEvent`` on the
timeline and an ``AuditLog`` entry, and writes its notifications to the outbox in the same
transaction. An illegal step raises ``WorkflowError`` with a message for the person at the
screen; a person without the right to act raises ``PermissionDenied``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role, has_role

from . import audit, notifications
from .models import (
    AnonymousReceipt,
    AuditLog,
    BullyingReport,
    CaseEvent,
    CaseMessage,
    CaseNumberSequence,
    CommitteeRole,
    Consultation,
    Determination,
    Escalation,
    FormKey,
    Measure,
    SchoolMembership,
    State,
    mandatory_report_reasons,
)


class WorkflowError(Exception):
    """A step the case's state or the given facts do not allow; ``message`` is shown to the user."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


class IncompleteReport(WorkflowError):
    """Submitting a report that still misses required facts; ``missing`` lists them."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(gettext_lazy("The report is not complete yet. Please fill in what is missing."))


# --- Who may see and act on which case -----------------------------------------------------


def is_district(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (user.is_superuser or has_role(user, Role.DISTRICT_STAFF))


def school_ids_of(user) -> list[int]:
    if not getattr(user, "is_authenticated", False) or not has_role(user, Role.SCHOOL_OFFICER):
        return []
    return list(SchoolMembership.objects.filter(user=user).values_list("school_id", flat=True))


def school_officers(school_id: int) -> QuerySet:
    """Active officers (and principals) of a school who hold the school officer role."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            school_memberships__school=school_id,
            groups__name=Role.SCHOOL_OFFICER.group_name,
        )
        .distinct()
    )


def is_school_actor(user, report: BullyingReport) -> bool:
    return report.school_id in school_ids_of(user)


def cases_visible_to(user) -> QuerySet[BullyingReport]:
    """District staff see every submitted case; officers their own schools' cases and drafts."""
    cases = BullyingReport.objects.select_related("school", "school__street_town", "handler")
    if is_district(user):
        return cases.exclude(state=State.DRAFT)
    school_ids = school_ids_of(user)
    if school_ids:
        # The district triages anonymous reports first: a reporter may fear their own school.
        unacknowledged_anonymous = Q(source=BullyingReport.Source.ANONYMOUS, state=State.SUBMITTED)
        return cases.filter(school_id__in=school_ids).exclude(unacknowledged_anonymous)
    return cases.none()


def can_file_reports(user) -> bool:
    return bool(school_ids_of(user))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You cannot do this on this case."))


# --- Deadlines -------------------------------------------------------------------------------


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """``start`` moved forward by ``days`` working days (Monday–Friday, same time of day).

    Public holidays are not known to the platform yet; weekends are skipped.
    """
    moment = timezone.localtime(start)
    while days > 0:
        moment += datetime.timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def acknowledge_due(submitted_at: datetime.datetime) -> datetime.datetime:
    return add_working_days(submitted_at, settings.SCHOOLS_ACKNOWLEDGE_WORKING_DAYS)


def determination_due(investigation_started_at: datetime.datetime) -> datetime.datetime:
    return investigation_started_at + datetime.timedelta(days=settings.SCHOOLS_DETERMINATION_DAYS)


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


# --- Steps -------------------------------------------------------------------------------------


def _locked(report: BullyingReport) -> BullyingReport:
    return BullyingReport.objects.select_for_update().select_related("school").get(pk=report.pk)


def _wrong_state(report: BullyingReport, step: str) -> WorkflowError:
    return WorkflowError(
        _("This case is “%(state)s”, so it cannot be %(step)s now.")
        % {"state": report.get_state_display(), "step": step}
    )


def _event(report, by, kind, *, from_state="", to_state="", reason="", consultation=None) -> CaseEvent:
    return CaseEvent.objects.create(
        report=report,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=by if getattr(by, "is_authenticated", False) else None,
        actor_role=audit.role_label(by),
        reason=reason,
        consultation=consultation,
    )


def _move(report: BullyingReport, by, to_state: str, reason: str = "", **stamps) -> BullyingReport:
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


def submit(report: BullyingReport, *, by) -> SubmitResult:
    """Turns a complete draft into a case with a number. Submitting twice gives the same case."""
    with transaction.atomic():
        report = _locked(report)
        _require(is_school_actor(by, report))
        if report.state != State.DRAFT:
            return SubmitResult(report, created=False)
        missing = missing_for_submission(report)
        if missing:
            raise IncompleteReport(missing)
        now = timezone.now()
        report.case_number = _take_case_number(now)
        _move(report, by, State.SUBMITTED, submitted_at=now, acknowledge_due_at=acknowledge_due(now))
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


def acknowledge(report: BullyingReport, *, by, reason: str = "") -> BullyingReport:
    with transaction.atomic():
        report = _locked(report)
        _require(is_district(by))
        if report.state != State.SUBMITTED:
            raise _wrong_state(report, _("acknowledged"))
        report = _move(report, by, State.ACKNOWLEDGED, _reason(reason, False), acknowledged_at=timezone.now())
        notifications.queue(
            school_officers(report.school_id),
            subject=_("Case %(number)s: please start the investigation") % {"number": report.case_number},
            body=_("The district centre acknowledged case %(number)s. Please start the investigation: %(link)s")
            % {"number": report.case_number, "link": notifications.case_url(report)},
            report=report,
            dedupe=f"acknowledged:{report.pk}:{report.acknowledged_at.isoformat()}",
        )
        return report


def start_investigation(report: BullyingReport, *, by, reason: str = "") -> BullyingReport:
    with transaction.atomic():
        report = _locked(report)
        _require(is_school_actor(by, report))
        if report.state not in (State.ACKNOWLEDGED, State.REVIEW_REQUESTED):
            raise _wrong_state(report, _("investigated"))
        now = timezone.now()
        return _move(
            report,
            by,
            State.INVESTIGATING,
            _reason(reason, False),
            investigation_started_at=now,
            determination_due_at=determination_due(now),
        )


def determine(
    report: BullyingReport, *, by, determination: str, committee_roles: list[str], reason: str
) -> BullyingReport:
    """Records the school bullying committee's decision and who sat on it (by role).

    Investigation, determination and measures are the school's steps; the district watches,
    consults, assigns and may close.
    """
    with transaction.atomic():
        report = _locked(report)
        _require(is_school_actor(by, report))
        if report.state != State.INVESTIGATING:
            raise _wrong_state(report, _("determined"))
        if determination not in Determination.values:
            raise WorkflowError(_("Choose what the committee decided."))
        roles = [role for role in committee_roles if role in CommitteeRole.values]
        if not roles or len(roles) != len(committee_roles):
            raise WorkflowError(_("Choose the roles of the committee members who decided."))
        report.determination = determination
        report.committee_roles = roles
        return _move(report, by, State.DETERMINED, _reason(reason, True), determined_at=timezone.now())


def start_handling(report: BullyingReport, *, by, measures: list[str], reason: str = "") -> BullyingReport:
    with transaction.atomic():
        report = _locked(report)
        _require(is_school_actor(by, report))
        if report.state != State.DETERMINED:
            raise _wrong_state(report, _("handled"))
        chosen = [measure for measure in measures if measure in Measure.values]
        if not chosen or len(chosen) != len(measures):
            raise WorkflowError(_("Choose at least one measure."))
        report.measures = chosen
        return _move(report, by, State.HANDLING, _reason(reason, False), handling_started_at=timezone.now())


def close(report: BullyingReport, *, by, reason: str) -> BullyingReport:
    """Closes a handled case, or a determined one where the committee found no bullying."""
    with transaction.atomic():
        report = _locked(report)
        _require(is_school_actor(by, report) or is_district(by))
        closable = report.state == State.HANDLING or (
            report.state == State.DETERMINED and report.determination != Determination.BULLYING
        )
        if not closable:
            raise _wrong_state(report, _("closed"))
        return _move(report, by, State.CLOSED, _reason(reason, True), closed_at=timezone.now())


def request_review(report: BullyingReport, *, by, reason: str) -> BullyingReport:
    """A party asks for a review within the set period; the case reopens for investigation."""
    with transaction.atomic():
        report = _locked(report)
        _require(is_school_actor(by, report) or is_district(by))
        if report.state != State.CLOSED:
            raise _wrong_state(report, _("reviewed"))
        limit = report.closed_at + datetime.timedelta(days=settings.SCHOOLS_REVIEW_REQUEST_DAYS)
        if timezone.now() > limit:
            raise WorkflowError(
                _("A review can only be asked for within %(days)s days of closing.")
                % {"days": settings.SCHOOLS_REVIEW_REQUEST_DAYS}
            )
        return _move(report, by, State.REVIEW_REQUESTED, _reason(reason, True))


TRANSITIONS = {
    "acknowledge": acknowledge,
    "start_investigation": start_investigation,
    "determine": determine,
    "start_handling": start_handling,
    "close": close,
    "request_review": request_review,
}


def possible_handlers(report: BullyingReport) -> QuerySet:
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


def assign_handler(report: BullyingReport, *, by, handler) -> BullyingReport:
    with transaction.atomic():
        report = _locked(report)
        _require(is_district(by))
        if report.state == State.DRAFT:
            raise _wrong_state(report, _("assigned"))
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
    by,
    held_on: datetime.date,
    participating_bodies: str,
    conclusions: str,
    follow_up_actions: str = "",
) -> Consultation:
    with transaction.atomic():
        report = _locked(report)
        _require(is_district(by))
        if report.state == State.DRAFT:
            raise _wrong_state(report, _("discussed in a consultation"))
        if not participating_bodies.strip() or not conclusions.strip():
            raise WorkflowError(_("Write down which bodies took part and what was concluded."))
        consultation = Consultation.objects.create(
            report=report,
            held_on=held_on,
            participating_bodies=participating_bodies.strip(),
            conclusions=conclusions.strip(),
            follow_up_actions=follow_up_actions.strip(),
            recorded_by=by,
        )
        _event(report, by, CaseEvent.Kind.CONSULTATION, consultation=consultation)
        audit.record(by, AuditLog.Action.CONSULTATION, report, consultation=consultation.pk)
        return consultation


def add_note(report: BullyingReport, *, by, text: str) -> CaseEvent:
    with transaction.atomic():
        report = _locked(report)
        _require(is_school_actor(by, report) or is_district(by))
        if report.state == State.DRAFT:
            raise _wrong_state(report, _("given notes"))
        event = _event(report, by, CaseEvent.Kind.NOTE, reason=_reason(text, True))
        audit.record(by, AuditLog.Action.NOTE, report, event=event.pk)
        return event


# --- Inviting school officers: see ``schools.invitations`` ----------------------------------------


# --- Escalation ----------------------------------------------------------------------------------

OVERDUE_STEPS = {
    "acknowledge": (State.SUBMITTED, "acknowledge_due_at"),
    "determine": (State.INVESTIGATING, "determination_due_at"),
}


def overdue_cases(now: datetime.datetime | None = None) -> QuerySet[BullyingReport]:
    now = now or timezone.now()
    return BullyingReport.objects.filter(
        Q(state=State.SUBMITTED, acknowledge_due_at__lt=now)
        | Q(state=State.INVESTIGATING, determination_due_at__lt=now)
    ).select_related("school", "handler")


def escalate_overdue(now: datetime.datetime | None = None) -> int:
    """Notifies the handler and the district lead(s) of each overdue step, once; returns how many.

    Safe to rerun: ``Escalation`` is unique per case, step and deadline.
    """
    now = now or timezone.now()
    escalated = 0
    for report in overdue_cases(now):
        step = "acknowledge" if report.state == State.SUBMITTED else "determine"
        due_at = getattr(report, OVERDUE_STEPS[step][1])
        with transaction.atomic():
            _escalation, created = Escalation.objects.get_or_create(report=report, step=step, due_at=due_at)
            if not created:
                continue
            recipients = {user.pk: user for user in notifications.district_leads()}
            if report.handler is not None:
                recipients[report.handler.pk] = report.handler
            step_label = _("acknowledgement") if step == "acknowledge" else _("determination")
            notifications.queue(
                recipients.values(),
                subject=_("Overdue: %(step)s of case %(number)s") % {"step": step_label, "number": report.case_number},
                body=_("The %(step)s of case %(number)s was due %(due)s. %(link)s")
                % {
                    "step": step_label,
                    "number": report.case_number,
                    "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
                    "link": notifications.case_url(report),
                },
                report=report,
                sms=True,
                dedupe=f"overdue:{report.pk}:{step}:{due_at.isoformat()}",
            )
            _event(report, None, CaseEvent.Kind.ESCALATION, reason=str(step_label))
            audit.record(None, AuditLog.Action.ESCALATE, report, step=step)
            escalated += 1
    return escalated


# --- What a person may do next ------------------------------------------------------------------


def can_view(user, report: BullyingReport) -> bool:
    return cases_visible_to(user).filter(pk=report.pk).exists()


def available_actions(report: BullyingReport, user) -> list[str]:
    """The steps ``user`` may take on ``report`` now, in the order the page offers them."""
    district = is_district(user)
    school = is_school_actor(user, report)
    if report.state == State.DRAFT or not (district or school):
        return []
    actions = []
    if district and report.state == State.SUBMITTED:
        actions.append("acknowledge")
    if school and report.state in (State.ACKNOWLEDGED, State.REVIEW_REQUESTED):
        actions.append("start_investigation")
    if school and report.state == State.INVESTIGATING:
        actions.append("determine")
    if school and report.state == State.DETERMINED:
        actions.append("start_handling")
    if report.state == State.HANDLING or (
        report.state == State.DETERMINED and report.determination != Determination.BULLYING
    ):
        actions.append("close")
    if (
        report.state == State.CLOSED
        and report.closed_at
        and timezone.now() <= report.closed_at + datetime.timedelta(days=settings.SCHOOLS_REVIEW_REQUEST_DAYS)
    ):
        actions.append("request_review")
    if district:
        actions += ["assign_handler", "add_consultation"]
    if report.source == BullyingReport.Source.ANONYMOUS:
        actions.append("reply_to_reporter")
    actions.append("add_note")
    return actions


def can_read_audit_log(user) -> bool:
    """Superusers and district leads (the "District leads" group holds ``schools.view_auditlog``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_perm("schools.view_auditlog")


# --- Anonymous reports ----------------------------------------------------------------------------


# The anonymous reporter as an actor: no account, recorded with the role "anonymous".
REPORTER = AnonymousUser()


@dataclass
class AnonymousSubmission:
    report: BullyingReport
    receipt_code: str | None
    created: bool = True


def earlier_submission(submission_key: str) -> AnonymousSubmission | None:
    """The report a form with ``submission_key`` already filed, with its code while it may be shown."""
    from . import receipts

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
    school,
    reporter_kind: str,
    narrative: str,
    contact: str = "",
    attachment=None,
    announce: bool = True,
    submission_key: str = "",
    **facts,
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
    from . import receipts

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
    from . import receipts

    now = timezone.now()
    FormKey.objects.filter(created_at__lt=now - datetime.timedelta(days=FORM_KEY_DAYS)).delete()
    cutoff = now - datetime.timedelta(seconds=receipts.RESUBMIT_SECONDS)
    return AnonymousReceipt.objects.filter(created_at__lt=cutoff).exclude(sealed_code="").update(sealed_code="")


def _file_anonymous(*, school, reporter_kind, narrative, contact, attachment, announce, submission_key, **facts):
    from . import receipts

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
            store_attachment(report, attachment, by=None)
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


def store_attachment(report: BullyingReport, checked, *, by) -> None:
    """Stores an upload ``schools.attachments`` has checked (encrypted by the attachment storage)."""
    from django.core.files.base import ContentFile

    from .models import Attachment

    item = Attachment(report=report, content_type=checked.content_type, size=len(checked.content), uploaded_by=by)
    item.file.save("upload", ContentFile(checked.content), save=False)
    item.save()


def find_by_receipt(code: str) -> BullyingReport | None:
    """The anonymous report for ``code``, or None; unknown and malformed codes look the same."""
    from . import receipts

    receipt = AnonymousReceipt.objects.filter(code_hash=receipts.code_hash(code)).select_related("report").first()
    if receipt is None or not receipts.looks_valid(code):
        return None
    audit.record(REPORTER, AuditLog.Action.REPORTER_VIEW, receipt.report)
    return receipt.report


def post_reporter_message(report: BullyingReport, body: str, *, announce: bool = True) -> CaseMessage:
    """The anonymous reporter writes to the handler; the handler (or the district) is told.

    With ``announce=False`` (more messages on this report than the hourly limit) the message is
    stored all the same and announced once for the rest of the hour.
    """
    body = _reason(body, True)
    with transaction.atomic():
        message = CaseMessage.objects.create(report=report, author_kind=CaseMessage.Author.REPORTER, body=body)
        audit.record(REPORTER, AuditLog.Action.MESSAGE, report, message=message.pk)
        recipients = [report.handler] if report.handler else list(notifications.district_staff())
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


def reply_to_reporter(report: BullyingReport, *, by, body: str) -> CaseMessage:
    with transaction.atomic():
        report = _locked(report)
        _require(is_district(by) or is_school_actor(by, report))
        if report.source != BullyingReport.Source.ANONYMOUS:
            raise WorkflowError(_("Only anonymous reports have a reporter to write to."))
        message = CaseMessage.objects.create(
            report=report, author_kind=CaseMessage.Author.HANDLER, author=by, body=_reason(body, True)
        )
        audit.record(by, AuditLog.Action.MESSAGE, report, message=message.pk)
        return message


REPORTER_STATUS = {
    State.SUBMITTED: gettext_lazy("Received: the district centre will look at it within one working day."),
    State.ACKNOWLEDGED: gettext_lazy("Accepted: the school has been asked to look into it."),
    State.INVESTIGATING: gettext_lazy("Being looked into."),
    State.DETERMINED: gettext_lazy("A decision has been made; measures are being planned."),
    State.HANDLING: gettext_lazy("Being handled: measures are under way."),
    State.CLOSED: gettext_lazy("Closed."),
    State.REVIEW_REQUESTED: gettext_lazy("Being reviewed again."),
}


def reporter_status(report: BullyingReport) -> str:
    """The status in words a student understands; no internal details."""
    return str(REPORTER_STATUS.get(report.state, ""))
