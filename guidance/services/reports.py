"""Issuing, correcting and verifying sealed completion reports.

A report is issued by district staff when the plan's requirements are met, or once its period
has ended (stating what was and was not done). Its PDF, the PDF's SHA-256 and the district's
Ed25519 signature are stored once and never rewritten (``CompletionReport`` refuses); a
correction issues version + 1 with a new verification code and marks the old one superseded, as
certificates' name corrections do. Codes use the certificates' alphabet (``courses.certificates``).
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.certificates import is_well_formed, issuer_name, new_code, normalise_code
from workstations.appointments import read_session_records
from workstations.models import Booking

from .. import selectors, signing
from ..models import CompletionReport, GuidancePlan, PlanEvent
from ..report_pdf import ReportFacts, build_pdf
from . import events
from .errors import GuidanceError
from .progress import Progress, progress_of

if TYPE_CHECKING:
    from accounts.models import User

NOTE_CHARACTERS = 160  # each session's note is shortened to this in the report


def verify_url(code: str) -> str:
    return settings.SITE_URL + reverse("guidance:report_verify", args=[code])


def find(code: str) -> CompletionReport | None:
    normalised = normalise_code(code)
    if not is_well_formed(normalised):
        return None
    return CompletionReport.objects.filter(code=normalised).first()


def unmet_requirements(progress: Progress) -> list[str]:
    """What was not done, in words for the report (no names: "a guardian")."""
    plan, unmet = progress.plan, []
    for row in progress.courses:
        if row.finished_at is None:
            unmet.append(_("Course not completed: %(title)s") % {"title": row.title})
    if not progress.sessions_met:
        unmet.append(
            _("Sessions attended: %(done)s of %(required)s")
            % {"done": progress.sessions_attended, "required": plan.required_sessions}
        )
    return unmet


def _notes(progress: Progress, *, by: User, purpose: str) -> dict[int, str]:
    """The workers' notes of the plan's sessions, shortened; read through the stations' audited read
    (``workstations.appointments.read_session_records``: each decrypted record is an audit entry)."""
    bookings = Booking.objects.filter(pk__in=[row.booking_id for row in progress.sessions]).select_related("slot")
    records = read_session_records(bookings=bookings, by=by, purpose=purpose)
    return {pk: " ".join(record.notes.split())[:NOTE_CHARACTERS] for pk, record in records.items() if record.notes}


def issue_report(plan: GuidancePlan, *, by: User, correction_reason: str = "") -> CompletionReport:
    """Issues the plan's report (closing the plan), or a corrected version of the current one."""
    if not selectors.may_issue_report(by):
        raise PermissionDenied(_("Only district staff issue completion reports."))
    now = timezone.now()
    with transaction.atomic():
        plan = (
            GuidancePlan.objects.select_for_update(of=("self",))
            .select_related("order__court", "worker")
            .get(pk=plan.pk)
        )
        current = plan.reports.filter(superseded_at__isnull=True).first()
        if current is not None and not correction_reason.strip():
            raise GuidanceError(_("A report has been issued already; give the reason for a correction."))
        progress = progress_of(plan, today=timezone.localdate(now))
        if plan.status == GuidancePlan.Status.OPEN:
            if progress.met:
                plan.status = GuidancePlan.Status.COMPLETED
            elif timezone.localdate(now) > plan.ends_on:
                plan.status = GuidancePlan.Status.ENDED
            else:
                raise GuidanceError(_("The plan's requirements are not met yet and its period has not ended."))
            plan.closed_at = now
            plan.save(update_fields=["status", "closed_at"])
            kind = PlanEvent.Kind.COMPLETED if plan.status == GuidancePlan.Status.COMPLETED else PlanEvent.Kind.ENDED
            events.record(plan, kind, key="closed", by=by, now=now)
        outcome = (
            CompletionReport.Outcome.COMPLETED
            if plan.status == GuidancePlan.Status.COMPLETED
            else CompletionReport.Outcome.UNMET
        )
        version = (plan.reports.aggregate(last=Max("version"))["last"] or 0) + 1
        with translation.override(settings.LANGUAGE_CODE):
            names = {
                guardian.pk: (guardian.user.name if guardian.user and guardian.user.name else guardian.name)
                for guardian in plan.guardians.select_related("user")
            }
            facts_base = {
                "plan": plan,
                "progress": progress,
                "version": version,
                "outcome_label": str(CompletionReport.Outcome(outcome).label),
                "issued_on": timezone.localdate(now).isoformat(),
                "issuer": issuer_name(),
                "guardian_names": names,
                "notes": _notes(progress, by=by, purpose=f"completion_report:{plan.reference}:v{version}"),
                "unmet": unmet_requirements(progress),
            }
        if current is not None:
            current.superseded_at = now
            current.save(update_fields=["superseded_at"])
        report = _write(plan, facts_base, outcome=outcome, by=by, now=now, reason=correction_reason.strip())
        if current is not None:
            current.superseded_by = report
            current.save(update_fields=["superseded_by"])
        events.record(plan, PlanEvent.Kind.REPORT_ISSUED, key=f"report:{version}", detail=f"v{version}", by=by)
    return report


def _write(
    plan: GuidancePlan,
    facts_base: dict[str, Any],
    *,
    outcome: str,
    by: User,
    now: datetime.datetime,
    reason: str,
) -> CompletionReport:
    for _attempt in range(5):
        code = new_code()
        if CompletionReport.objects.filter(code=code).exists():
            continue
        with translation.override(settings.LANGUAGE_CODE):
            pdf = build_pdf(ReportFacts(code=code, verify_url=verify_url(code), **facts_base))
        report = CompletionReport(
            plan=plan,
            version=facts_base["version"],
            code=code,
            outcome=outcome,
            order_number=plan.order.order_number if plan.order else "",
            issued_at=now,
            issued_by=by,
            correction_reason=reason,
            sha256=hashlib.sha256(pdf).hexdigest(),
            signature=signing.sign(pdf).hex(),
        )
        report.pdf.save(f"{code}.pdf", ContentFile(pdf), save=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # pragma: no cover - a code taken between the check and the insert
            report.pdf.delete(save=False)
            continue
        return report
    raise GuidanceError("could not allocate a verification code")  # pragma: no cover


def file_bytes(report: CompletionReport) -> bytes:
    with report.pdf.open("rb") as handle:
        data: bytes = handle.read()
    return data


def check_file(report: CompletionReport) -> bool:
    """Whether the stored file is still the one issued: its SHA-256 and signature both hold."""
    data = file_bytes(report)
    return hashlib.sha256(data).hexdigest() == report.sha256 and signing.verify(data, bytes.fromhex(report.signature))


@dataclass
class FileCheck:
    """What an uploaded file is: its SHA-256, whether it is a PDF, and the report it is (if any)."""

    sha256: str
    is_pdf: bool
    report: CompletionReport | None


def check_upload(data: bytes) -> FileCheck:
    """An uploaded file compared with every issued report by its SHA-256 (the exact bytes issued).

    A file that matches none is parsed (pikepdf) only to say whether it is a PDF at all."""
    digest = hashlib.sha256(data).hexdigest()
    report = CompletionReport.objects.filter(sha256=digest).order_by("-version").first()
    return FileCheck(sha256=digest, is_pdf=report is not None or _parses_as_pdf(data), report=report)


def _parses_as_pdf(data: bytes) -> bool:
    if not data.startswith(b"%PDF-"):
        return False
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)):
            return True
    except (pikepdf.PdfError, ValueError, OSError):
        return False
