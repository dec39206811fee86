"""Pages for anonymous reporters: file a report, keep the code, read and answer messages.

Not ``sensitive_area``: no account is needed. The receipt code is the only key; after a
successful look-up the report's id (never the code) is kept in the session, never in a URL. Nothing about
the reporter's address or browser is stored; rate limits live in the cache only.

Limits (docs/security.md, "The anonymous channel"): a complete, valid report is NEVER refused.
Many people share one address (a school's network, a mobile carrier's NAT), so nothing that
others do from it may silence a child. Instead:

* invalid submissions are counted apart from valid ones, per client; past
  ``SCHOOLS_ANONYMOUS_INVALID_PER_HOUR`` an invalid one is answered 429 (with the form and what
  was typed), a valid one is still accepted;
* valid reports are counted per client and site-wide; past ``SCHOOLS_ANONYMOUS_REPORTS_PER_HOUR``
  (per client) or ``SCHOOLS_ANONYMOUS_REPORTS_SITE_PER_HOUR`` (everyone) a report is still stored
  and in the district's queue with its deadlines, but marked in its timeline and announced in one
  combined message per hour instead of a message (and text) of its own, so a flood cannot bury
  district staff in mail and texts;
* receipt look-ups count only wrong codes, per client: past ``SCHOOLS_RECEIPT_LOOKUPS_PER_HOUR``
  that client's look-ups are refused (a right code too, or the limit would not stop guessing),
  while a right code from any other client always opens its report;
* a reporter's messages are counted per report (only the code's holder can write to it), never
  refused: past ``SCHOOLS_REPORTER_MESSAGES_PER_HOUR`` they are stored and announced together.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core import ratelimit

from . import receipts, services
from .forms import AnonymousReportForm, MessageForm, ReceiptLookupForm
from .models import BullyingReport

# The code travels to the receipt page in a short-lived cookie on the reporter's own device,
# so the server never stores it (not even in the session table); the page deletes it.
RECEIPT_COOKIE = "huiai_receipt_once"
SESSION_REPORT = "schools_reporter_case"
REPORTER_SESSION_SECONDS = 30 * 60


def _too_many(request, template: str, context: dict):
    context["rate_limited"] = True
    return render(request, template, context, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_report(request):
    if request.method != "POST":
        return render(request, "schools/anonymous_report.html", {"form": AnonymousReportForm()})
    form = AnonymousReportForm(request.POST, request.FILES)
    client = ratelimit.client(request)
    if not form.is_valid():
        invalid = ratelimit.add("anonymous-report-invalid", client)
        if invalid > settings.SCHOOLS_ANONYMOUS_INVALID_PER_HOUR:
            return _too_many(request, "schools/anonymous_report.html", {"form": form})
        return render(request, "schools/anonymous_report.html", {"form": form}, status=400)
    # Counted only once valid; over either volume the report is stored all the same (see above).
    from_client = ratelimit.add("anonymous-report", client)
    from_everyone = ratelimit.add("anonymous-report", "site")
    announce = (
        from_client <= settings.SCHOOLS_ANONYMOUS_REPORTS_PER_HOUR
        and from_everyone <= settings.SCHOOLS_ANONYMOUS_REPORTS_SITE_PER_HOUR
    )
    data = form.cleaned_data
    result = services.submit_anonymous(
        school=data["school"],
        reporter_kind=data["reporter_kind"],
        narrative=data["narrative"],
        contact=data["contact"].strip(),
        attachment=data["attachment"],
        incident_date=data["incident_date"],
        place=data["place"],
        bullying_types=data["bullying_types"],
        injury=data["injury"],
        involves_sexual_harm=data["involves_sexual_harm"],
        announce=announce,
    )
    response = redirect("schools:anonymous_receipt")
    response.set_cookie(
        RECEIPT_COOKIE,
        result.receipt_code,
        max_age=10 * 60,
        path=reverse("schools:anonymous_receipt"),
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )
    return response


@never_cache
def anonymous_receipt(request):
    """Shows the receipt code once: the cookie that carried it is deleted with this response."""
    code = request.COOKIES.get(RECEIPT_COOKIE, "")
    if not receipts.looks_valid(code):
        response = redirect("schools:anonymous_status")
    else:
        response = render(request, "schools/anonymous_receipt.html", {"code": code})
    response.delete_cookie(RECEIPT_COOKIE, path=reverse("schools:anonymous_receipt"), samesite="Strict")
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_status(request):
    form = ReceiptLookupForm(request.POST or None)
    if request.method == "POST":
        client = ratelimit.client(request)
        # Only wrong codes count, and only this client's: a right code from anyone else works.
        if ratelimit.over("receipt-lookup-failed", client, settings.SCHOOLS_RECEIPT_LOOKUPS_PER_HOUR):
            return _too_many(request, "schools/anonymous_status.html", {"form": form})
        if form.is_valid():
            report = services.find_by_receipt(form.cleaned_data["code"])
            if report is not None:
                request.session.cycle_key()
                request.session[SESSION_REPORT] = report.pk
                request.session.set_expiry(REPORTER_SESSION_SECONDS)
                return redirect("schools:anonymous_case")
            form.add_error("code", _("We could not find a report with this code. Check the code and try again."))
        ratelimit.add("receipt-lookup-failed", client)
        return render(request, "schools/anonymous_status.html", {"form": form}, status=400)
    return render(request, "schools/anonymous_status.html", {"form": form})


def _reporter_case(request) -> BullyingReport | None:
    pk = request.session.get(SESSION_REPORT)
    if pk is None:
        return None
    return BullyingReport.objects.filter(pk=pk, source=BullyingReport.Source.ANONYMOUS).first()


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_case(request):
    report = _reporter_case(request)
    if report is None:
        return redirect("schools:anonymous_status")
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            sent = ratelimit.add("reporter-message", "r" + ratelimit.key("report", report.pk))
            announce = sent <= settings.SCHOOLS_REPORTER_MESSAGES_PER_HOUR
            services.post_reporter_message(report, form.cleaned_data["body"], announce=announce)
            messages.success(request, _("Your message was sent."))
            return redirect("schools:anonymous_case")
        return render(request, "schools/anonymous_case.html", _case_context(report, form), status=400)
    return render(request, "schools/anonymous_case.html", _case_context(report, form))


def _case_context(report: BullyingReport, form) -> dict:
    return {
        "report": report,
        "status": services.reporter_status(report),
        "thread": report.messages.all(),
        "form": form,
    }


@require_POST
def anonymous_leave(request):
    request.session.pop(SESSION_REPORT, None)
    return redirect("schools:anonymous_status")
