"""Pages for anonymous reporters: file a report, keep the code, read and answer messages.

Not ``sensitive_area``: no account is needed. The receipt code is the only key; after a
successful look-up the report's id (never the code) travels in a signed, HttpOnly,
SameSite=Strict cookie scoped to these pages, for 30 minutes. It is never written to the
session: a reporter who happens to be signed in must leave no stored row tying their account
to the report. Nothing about the reporter's address or browser is stored; rate limits live in
the cache only.

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
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core import ratelimit

from . import receipts, services
from .anonymous_forms import AnonymousReportForm, ReceiptLookupForm
from .forms import MessageForm
from .models import BullyingReport

# The code travels to the receipt page in a short-lived cookie on the reporter's own device,
# so the server never stores it (not even in the session table); the page deletes it.
RECEIPT_COOKIE = "huiai_receipt_once"
# The follow-up state: the report's id, signed, on the reporter's device only.
REPORTER_COOKIE = "huiai_reporter"
REPORTER_COOKIE_SALT = "schools.anonymous-reporter"
REPORTER_SESSION_SECONDS = 30 * 60
# Where the reporter state lived before it moved to its own cookie; removed on "leave".
LEGACY_SESSION_REPORT = "schools_reporter_case"


def _reporter_cookie_path() -> str:
    return reverse("schools:anonymous_status")


def _page(request, template: str, context: dict, status: int = 200):
    """Every anonymous page carries the quick-exit button to the neutral page."""
    context["quick_exit_url"] = settings.SCHOOLS_QUICK_EXIT_URL
    return render(request, template, context, status=status)


def _too_many(request, template: str, context: dict):
    context["rate_limited"] = True
    return _page(request, template, context, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_report(request):
    if request.method != "POST":
        return _page(request, "schools/anonymous_report.html", {"form": AnonymousReportForm()})
    form = AnonymousReportForm(request.POST, request.FILES)
    key = request.POST.get("submission_key", "")
    if receipts.SUBMISSION_KEY_PATTERN.fullmatch(key):
        earlier = services.earlier_submission(key)
        if earlier is not None:  # a double click or a repeat: not counted, not filed again
            return _submitted(request, earlier)
    client = ratelimit.client(request)
    if not form.is_valid():
        invalid = ratelimit.add("anonymous-report-invalid", client)
        if invalid > settings.SCHOOLS_ANONYMOUS_INVALID_PER_HOUR:
            return _too_many(request, "schools/anonymous_report.html", {"form": form})
        return _page(request, "schools/anonymous_report.html", {"form": form}, status=400)
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
        submission_key=data["submission_key"],
    )
    return _submitted(request, result)


def _submitted(request, result: services.AnonymousSubmission):
    if result.receipt_code is None:
        # A repeat of a form filed more than a few minutes ago: nothing new, and the code is not
        # shown again (whoever holds an old form page is not necessarily the reporter).
        return _page(request, "schools/anonymous_status.html", {"form": ReceiptLookupForm(), "already_sent": True})
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
        response = _page(
            request,
            "schools/anonymous_receipt.html",
            {
                "code": code,
                "code_groups": receipts.groups(code),
                "acknowledge_days": settings.SCHOOLS_ACKNOWLEDGE_WORKING_DAYS,
                "determination_days": settings.SCHOOLS_DETERMINATION_DAYS,
            },
        )
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
                response = redirect("schools:anonymous_case")
                response.set_signed_cookie(
                    REPORTER_COOKIE,
                    str(report.pk),
                    salt=REPORTER_COOKIE_SALT,
                    max_age=REPORTER_SESSION_SECONDS,
                    path=_reporter_cookie_path(),
                    secure=request.is_secure(),
                    httponly=True,
                    samesite="Strict",
                )
                return response
            form.add_error("code", _("We could not find a report with this code. Check the code and try again."))
        ratelimit.add("receipt-lookup-failed", client)
        return _page(request, "schools/anonymous_status.html", {"form": form}, status=400)
    return _page(request, "schools/anonymous_status.html", {"form": form})


def _reporter_case(request) -> BullyingReport | None:
    try:
        value = request.get_signed_cookie(REPORTER_COOKIE, salt=REPORTER_COOKIE_SALT, max_age=REPORTER_SESSION_SECONDS)
    except (KeyError, signing.BadSignature):
        return None
    if not value.isdigit():
        return None
    return BullyingReport.objects.filter(pk=int(value), source=BullyingReport.Source.ANONYMOUS).first()


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_case(request):
    report = _reporter_case(request)
    if report is None:
        return redirect("schools:anonymous_status")
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                # A double click brings the same form key back: the message is sent once.
                if services.claim_form_key(form.cleaned_data["form_key"]):
                    sent = ratelimit.add("reporter-message", "r" + ratelimit.key("report", report.pk))
                    announce = sent <= settings.SCHOOLS_REPORTER_MESSAGES_PER_HOUR
                    services.post_reporter_message(report, body=form.cleaned_data["body"], announce=announce)
            messages.success(request, _("Your message was sent."))
            return redirect("schools:anonymous_case")
        return _page(request, "schools/anonymous_case.html", _case_context(report, form), status=400)
    return _page(request, "schools/anonymous_case.html", _case_context(report, form))


def _case_context(report: BullyingReport, form) -> dict:
    return {
        # On an open report, quick exit also closes it on this device (a form to anonymous_leave).
        "quick_exit_closes_report": True,
        "report": report,
        "status": services.reporter_status(report),
        "thread": report.messages.all(),
        "form": form,
    }


@require_POST
def anonymous_leave(request):
    """Forgets the open report on this device; the quick exit of the report page also leaves for
    the neutral page (so that Back finds nothing open here either)."""
    if LEGACY_SESSION_REPORT in request.session:
        del request.session[LEGACY_SESSION_REPORT]
    if request.POST.get("quick_exit") == "1":
        response = redirect(settings.SCHOOLS_QUICK_EXIT_URL)
    else:
        response = redirect("schools:anonymous_status")
    response.delete_cookie(REPORTER_COOKIE, path=_reporter_cookie_path(), samesite="Strict")
    return response
