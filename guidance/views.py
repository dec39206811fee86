"""Staff pages of guidance plans: the overview, a plan, creating one from a case, court orders.

Every page is ``staff_area`` (sign-in, and the second factor for the roles that need one: district
staff, guidance workers, court liaisons) and asks ``guidance.selectors`` who sees what; creating a
plan from a case is ``sensitive_area`` like the case itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.middleware import sensitive_area, staff_area
from core.errors import DomainError
from schools.selectors import can_view, cases_visible_to

from . import selectors, services
from .forms import AssessmentForm, CasePlanForm, CorrectionForm, OrderForm
from .models import CompletionReport, GuidancePlan, PlanGuardian


def _visible_plan(request, pk: int) -> GuidancePlan:
    return get_object_or_404(selectors.plans_visible_to(request.user), pk=pk)


@staff_area
@never_cache
def overview(request):
    if not selectors.follows_plans(request.user):
        raise PermissionDenied
    show = request.GET.get("status", GuidancePlan.Status.OPEN)
    plans = selectors.plans_visible_to(request.user)
    if show in GuidancePlan.Status.values:
        plans = plans.filter(status=show)
    rows = selectors.overview_rows(list(plans.order_by("ends_on", "pk")[:200]))
    context = {
        "rows": rows,
        "show": show,
        "statuses": GuidancePlan.Status.choices,
        "may_register": selectors.may_register_orders(request.user),
    }
    return render(request, "guidance/overview.html", context)


@staff_area
@never_cache
def plan_detail(request, pk: int):
    plan = _visible_plan(request, pk)
    progress = services.progress_of(plan)
    context = {
        "plan": plan,
        "progress": progress,
        "events": plan.events.all(),
        "reports": plan.reports.select_related("issued_by"),
        "case_visible": plan.case is not None and can_view(request.user, plan.case),
        "may_manage": selectors.may_manage(request.user, plan),
        "may_issue": selectors.may_issue_report(request.user),
        "assessment_form": AssessmentForm(initial={"assessment": plan.assessment}),
        "correction_form": CorrectionForm(),
    }
    return render(request, "guidance/plan_detail.html", context)


@staff_area
@require_POST
def plan_assessment(request, pk: int):
    plan = _visible_plan(request, pk)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        services.record_assessment(plan, by=request.user, text=form.cleaned_data["assessment"])
        messages.success(request, _("The assessment has been saved."))
    else:
        messages.error(request, _("Please write the assessment."))
    return redirect("guidance:plan_detail", pk=plan.pk)


@staff_area
@require_POST
def plan_resend(request, pk: int, guardian_pk: int):
    plan = _visible_plan(request, pk)
    guardian = get_object_or_404(PlanGuardian, pk=guardian_pk, plan=plan)
    try:
        services.resend_invitation(plan, guardian, by=request.user)
        messages.success(request, _("A new link has been sent by text message."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("guidance:plan_detail", pk=plan.pk)


@staff_area
@require_POST
def plan_issue_report(request, pk: int):
    plan = _visible_plan(request, pk)
    form = CorrectionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        report = services.issue_report(plan, by=request.user, correction_reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Report %(code)s has been issued.") % {"code": report.code})
    return redirect("guidance:plan_detail", pk=plan.pk)


@sensitive_area
@never_cache
@require_http_methods(["GET", "POST"])
def case_plan_new(request, case_pk: int):
    report = get_object_or_404(cases_visible_to(request.user), pk=case_pk)
    if not selectors.may_create_plan(request.user, report):
        raise PermissionDenied
    form = CasePlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                by=request.user,
                case=report,
                worker=data["worker"],
                courses=list(data["courses"]),
                course_deadline=data["course_deadline"],
                required_sessions=data["required_sessions"],
                ends_on=data["ends_on"],
                review_on=data["review_on"],
                guardians=data["guardians"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The guidance plan has been created and the guardians told."))
            return redirect("guidance:plan_detail", pk=plan.pk)
    return render(request, "guidance/case_plan_form.html", {"form": form, "report": report})


@staff_area
@never_cache
@require_http_methods(["GET", "POST"])
def order_new(request):
    if not selectors.may_register_orders(request.user):
        raise PermissionDenied
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.register_order(
                by=request.user,
                court=data["court"],
                order_number=data["order_number"],
                issued_on=data["issued_on"],
                required_content=data["required_content"],
                required_hours=data["required_hours"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                guardians=data["guardians"],
                worker=data["worker"],
                courses=list(data["courses"]),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The court order has been registered and its plan created."))
            return redirect("guidance:plan_detail", pk=plan.pk)
    return render(request, "guidance/order_form.html", {"form": form})


def _downloadable(request, code: str) -> CompletionReport:
    report = services.find(code)
    if report is None or not selectors.may_download_report(request.user, report):
        raise Http404
    return report


@staff_area
@never_cache
def report_download(request, code: str):
    report = _downloadable(request, code)
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=f"guidance-report-{report.code}-v{report.version}.pdf",
        content_type="application/pdf",
    )


@staff_area
@never_cache
def report_signature(request, code: str):
    report = _downloadable(request, code)
    response = HttpResponse(bytes.fromhex(report.signature), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="guidance-report-{report.code}-v{report.version}.pdf.sig"'
    return response
