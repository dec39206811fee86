"""Report form, case list and case page. Thin: access and every change go through services.

Every view is marked ``sensitive_area`` (login, role and MFA are enforced by the middleware);
record-level access comes from ``services.cases_visible_to``. A case the user may not see is
a 404, so case ids reveal nothing. Every view of a case is written to the audit log.
"""

from __future__ import annotations

import logging
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.middleware import sensitive_area
from core.uploads import EXTENSIONS

from . import audit, case_panels, dashboards, exports, notifications, services
from .forms import (
    AcknowledgeAnonymousForm,
    AssignForm,
    ConsultationForm,
    DetermineForm,
    HandlingForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    RequiredReasonForm,
    StudentFormSet,
)
from .models import Attachment, AuditLog, BullyingReport, School, SharedPart, State

ACTION_FORMS = {
    "acknowledge": ReasonForm,
    "start_investigation": ReasonForm,
    "determine": DetermineForm,
    "start_handling": HandlingForm,
    "close": RequiredReasonForm,
    "request_review": RequiredReasonForm,
    "assign_handler": AssignForm,
    "add_consultation": ConsultationForm,
    "add_note": NoteForm,
    "reply_to_reporter": ReplyForm,
}
ACTION_LABELS = {
    "acknowledge": gettext_lazy("Acknowledge the report"),
    "start_investigation": gettext_lazy("Start the investigation"),
    "determine": gettext_lazy("Record the committee's determination"),
    "start_handling": gettext_lazy("Record the measures and start handling"),
    "close": gettext_lazy("Close the case"),
    "request_review": gettext_lazy("Record a request for review"),
    "assign_handler": gettext_lazy("Assign a case handler"),
    "add_consultation": gettext_lazy("Record a case consultation"),
    "add_note": gettext_lazy("Add an internal note"),
    "reply_to_reporter": gettext_lazy("Write to the anonymous reporter"),
}

ACKNOWLEDGE_ANONYMOUS_LABEL = gettext_lazy("Accept and send a summary to the school")

logger = logging.getLogger(__name__)


def _visible_case(request, pk: int) -> BullyingReport:
    return get_object_or_404(services.cases_visible_to(request.user), pk=pk)


@sensitive_area
@never_cache
def case_list(request):
    cases = services.cases_visible_to(request.user)
    state = request.GET.get("state", "")
    if state in State.values:
        cases = cases.filter(state=state)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    audit.record(request.user, AuditLog.Action.VIEW_LIST, state=state, page=page.number)
    district = services.is_district(request.user)
    return render(
        request,
        "schools/case_list.html",
        {
            "page_obj": page,
            "cases": page.object_list,
            "states": State.choices,
            "current_state": state,
            "can_file": services.can_file_reports(request.user),
            "can_read_audit_log": services.can_read_audit_log(request.user),
            "can_invite": district,
            "is_district": district,
            "late_notifications": _late_notifications(request.user),
        },
    )


def _late_notifications(user) -> notifications.LateSummary | None:
    """District staff see when the outbox is behind (mail or SMS down); school staff do not."""
    return notifications.late_summary() if services.is_district(user) else None


def _form_context(request, form, formset, report=None):
    missing = services.missing_for_submission(report) if report is not None and report.pk else None
    return {
        "form": form,
        "formset": formset,
        "report": report,
        "missing": missing,
        "attachments": report.attachments.all() if report is not None and report.pk else [],
    }


@sensitive_area
@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request, pk: int | None = None):
    """New report or draft: save as a draft at any point; submit when nothing is missing."""
    schools = School.objects.filter(pk__in=services.school_ids_of(request.user))
    if not schools:
        raise PermissionDenied
    report = None
    if pk is not None:
        report = _visible_case(request, pk)
        if report.state != State.DRAFT:
            if request.method == "POST":
                messages.info(
                    request, _("This report was already submitted as case %(number)s.") % {"number": report.case_number}
                )
            return redirect("schools:case_detail", pk=report.pk)
    repeated_new_form = False
    if pk is None and request.method == "POST":
        report = services.draft_for_token(request.user, token=_posted_token(request))
        if report is None and services.token_taken(_posted_token(request)):
            return _token_conflict(request, schools)
        repeated_new_form = report is not None
        if report is not None and report.state != State.DRAFT:
            messages.info(
                request, _("This report was already submitted as case %(number)s.") % {"number": report.case_number}
            )
            return redirect("schools:case_detail", pk=report.pk)

    if request.method != "POST":
        initial = {"school": schools[0], "draft_token": uuid.uuid4()} if report is None else {}
        form = ReportForm(instance=report, schools=schools, initial=initial)
        formset = StudentFormSet(instance=report or BullyingReport(), prefix="students")
        if report is not None:
            audit.record(request.user, AuditLog.Action.VIEW_CASE, report)
        return render(request, "schools/report_form.html", _form_context(request, form, formset, report))

    form = ReportForm(request.POST, request.FILES, instance=report, schools=schools)
    # A repeated post of the new form carries the full list of students again: replace, don't add.
    formset_owner = BullyingReport() if repeated_new_form or report is None else report
    formset = StudentFormSet(request.POST, instance=formset_owner, prefix="students")
    if not (form.is_valid() and formset.is_valid()):
        messages.error(request, _("Some answers need your attention. Nothing was saved yet; see the messages below."))
        return render(request, "schools/report_form.html", _form_context(request, form, formset, report), status=400)

    try:
        report = services.save_draft(
            report=form.save(commit=False),
            students=formset,
            by=request.user,
            draft_token=form.cleaned_data.get("draft_token"),
            attachment=form.cleaned_data.get("attachment"),
            replace_students=repeated_new_form,
        )
    except services.TokenTaken:
        return _token_conflict(request, schools)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft saved. You can come back to it at any time from the case list."))
        return redirect("schools:report_edit", pk=report.pk)
    try:
        result = services.submit(report, by=request.user)
    except services.IncompleteReport as incomplete:
        messages.error(request, incomplete.message)
        form = ReportForm(instance=report, schools=schools)
        formset = StudentFormSet(instance=report, prefix="students")
        return render(request, "schools/report_form.html", _form_context(request, form, formset, report), status=400)
    messages.success(
        request, _("The report was submitted. Its case number is %(number)s.") % {"number": result.report.case_number}
    )
    return redirect("schools:case_detail", pk=result.report.pk)


def _posted_token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("draft_token", ""))
    except ValueError:
        return None


def _token_conflict(request, schools):
    """A reused form token: keep the answers, give the form a fresh token and say what happened."""
    data = request.POST.copy()
    data["draft_token"] = str(uuid.uuid4())
    form = ReportForm(data, schools=schools)
    formset = StudentFormSet(data, instance=BullyingReport(), prefix="students")
    form.is_valid()
    formset.is_valid()
    message = _("This form was already used for another report. Please check the answers and save again.")
    form.add_error(None, message)
    messages.error(request, message)
    return render(request, "schools/report_form.html", _form_context(request, form, formset), status=400)


@sensitive_area
@never_cache
def case_detail(request, pk: int):
    report = _visible_case(request, pk)
    if report.state == State.DRAFT:
        return redirect("schools:report_edit", pk=report.pk)
    audit.record(request.user, AuditLog.Action.VIEW_CASE, report)
    return render(request, "schools/case_detail.html", _detail_context(request, report))


def _action_form(action: str, report: BullyingReport, data=None):
    form_class = ACTION_FORMS[action]
    if action == "acknowledge" and report.source == BullyingReport.Source.ANONYMOUS:
        form_class = AcknowledgeAnonymousForm
    prefix = action
    if form_class is AssignForm:
        return form_class(data, handlers=services.possible_handlers(report), prefix=prefix)
    return form_class(data, prefix=prefix)


def _detail_context(request, report, bound_action: str | None = None, bound_form=None) -> dict:
    actions = []
    for action in services.available_actions(report, user=request.user):
        form = bound_form if action == bound_action else _action_form(action, report)
        label = ACTION_LABELS[action]
        if action == "acknowledge" and report.source == BullyingReport.Source.ANONYMOUS:
            label = ACKNOWLEDGE_ANONYMOUS_LABEL
        actions.append({"name": action, "label": label, "form": form})
    events = services.timeline(request.user, report)
    return {
        "report": report,
        "students": report.students.all(),
        "attachments": report.attachments.all(),
        "events": events,
        "actions": actions,
        "open_action": bound_action,
        "show_contact": services.is_district(request.user),
        # The reporter's side (their words, who they are, the thread) only for those who may
        # read the whole report; a school reads the district's summary and the shared parts.
        "whole_report": services.sees_whole_report(request.user, report),
        "shown": services.parts_shown(request.user, report),
        "shared_part_choices": SharedPart.choices,
        "panels": case_panels.panels_for(request, report),
        "thread": report.messages.select_related("author")
        if report.source == BullyingReport.Source.ANONYMOUS and services.sees_whole_report(request.user, report)
        else None,
    }


def _run_action(request, report: BullyingReport, action: str, data: dict) -> None:
    if action == "acknowledge":
        services.acknowledge(
            report,
            by=request.user,
            reason=data["reason"],
            school_summary=data.get("school_summary", ""),
            shared_parts=data.get("shared_parts", []),
        )
    elif action in ("start_investigation", "close", "request_review"):
        services.TRANSITIONS[action](report, by=request.user, reason=data["reason"])
    elif action == "determine":
        services.determine(
            report,
            by=request.user,
            determination=data["determination"],
            committee_roles=data["committee_roles"],
            reason=data["reason"],
        )
    elif action == "start_handling":
        services.start_handling(report, by=request.user, measures=data["measures"], reason=data["reason"])
    elif action == "assign_handler":
        services.assign_handler(report, by=request.user, handler=data["handler"])
    elif action == "add_consultation":
        services.add_consultation(report, by=request.user, **data)
    elif action == "add_note":
        services.add_note(report, by=request.user, text=data["text"])
    elif action == "reply_to_reporter":
        services.reply_to_reporter(report, by=request.user, body=data["body"])


@sensitive_area
@require_POST
def case_action(request, pk: int, action: str):
    report = _visible_case(request, pk)
    if action not in ACTION_FORMS:
        raise Http404
    form = _action_form(action, report, request.POST)
    if not form.is_valid():
        audit.record(request.user, AuditLog.Action.VIEW_CASE, report)
        messages.error(request, _("Please check the form below."))
        return render(request, "schools/case_detail.html", _detail_context(request, report, action, form), status=400)
    data = dict(form.cleaned_data)
    form_key = data.pop("form_key", "")
    try:
        with transaction.atomic():
            if not services.claim_form_key(form_key):
                # The same form posted again (a double click): it was saved the first time.
                messages.info(request, _("This was already saved; it was not saved twice."))
                return redirect(reverse("schools:case_detail", args=[report.pk]) + "#timeline")
            _run_action(request, report, action, data)
    except services.WorkflowError as refused:
        messages.error(request, refused.message)
        return redirect("schools:case_detail", pk=report.pk)
    messages.success(request, _("Saved: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect(reverse("schools:case_detail", args=[report.pk]) + "#timeline")


@sensitive_area
@never_cache
def attachment(request, pk: int, attachment_pk: int):
    report = _visible_case(request, pk)
    if SharedPart.ATTACHMENTS not in services.parts_shown(request.user, report):
        raise Http404
    item = get_object_or_404(Attachment, pk=attachment_pk, report=report)
    audit.record(request.user, AuditLog.Action.VIEW_ATTACHMENT, report, attachment=item.pk)
    extension = EXTENSIONS.get(item.content_type, "bin")
    # The storage decrypts (schools.models.AttachmentStorage): this is the plain file, in memory.
    try:
        plain = item.file.open("rb")
    except FileNotFoundError:
        # The row outlived its file (a restore without the attachment volume): say so, not a 500.
        logger.error("Attachment %s of case %s has no file on disk", item.pk, report.pk)
        raise Http404(_("This attachment's file is missing. Please tell the district centre.")) from None
    response = FileResponse(
        plain,
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=f"{report.case_number or 'draft'}-{item.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@sensitive_area
@never_cache
def dashboard(request):
    """Charts and tables of the cases the user may see: all for district staff, own school for officers."""
    board = dashboards.build(request.user, overdue_page=request.GET.get("page"))
    audit.record(request.user, AuditLog.Action.VIEW_DASHBOARD, cases=board.total)
    return render(
        request,
        "schools/dashboard.html",
        {
            "board": board,
            "median_acknowledge": dashboards.format_hours(board.median_hours_to_acknowledge),
            "median_determine": dashboards.format_hours(board.median_hours_to_determine),
            "is_district": services.is_district(request.user),
            "late_notifications": _late_notifications(request.user),
        },
    )


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}


@sensitive_area
@never_cache
def export(request, file_format: str):
    """The case list as CSV or XLSX (no student names or narratives: see ``schools.exports``); audited."""
    if file_format not in EXPORT_FORMATS:
        raise Http404
    content_type, writer = EXPORT_FORMATS[file_format]
    cases = services.cases_visible_to(request.user)
    state = request.GET.get("state", "")
    if state in State.values:
        cases = cases.filter(state=state)
    cases = exports.export_cases(cases)
    content = writer(cases, viewer=request.user)
    numbers = list(cases.values_list("case_number", flat=True))
    audit.record(request.user, AuditLog.Action.EXPORT, format=file_format, state=state, cases=numbers)
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="huiai-cases-{stamp}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response
