"""Pages without a staff role: the public verification page and key, and the guardian's pages.

The verification page shows only what a court needs — order number, issue date, status and the
document's fingerprint — never a name. A guardian sees only their own plan (``my_plans``), never
the case, and reaches it through the site's one sign-in (``join``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courses.certificates import is_well_formed, normalise_code

from . import selectors, services, signing
from .forms import VerifyFileForm
from .services import InvitationError


@require_http_methods(["GET", "POST"])
def verify(request, code: str = ""):
    if request.method == "POST":
        return _verify_upload(request)
    code = code or request.GET.get("code", "")
    normalised = normalise_code(code)
    if code and normalised != code and is_well_formed(normalised):
        return redirect("guidance:report_verify", code=normalised)
    report = services.find(normalised) if normalised else None
    status = 404 if normalised and report is None else 200
    context = {"code": normalised, "report": report, "searched": bool(normalised), "file_form": VerifyFileForm()}
    response = TemplateResponse(request, "guidance/verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _verify_upload(request):
    """The uploaded PDF's SHA-256 against the issued reports: which version it is, or none."""
    form = VerifyFileForm(request.POST, request.FILES)
    context: dict[str, object] = {"file_form": form}
    if form.is_valid():
        checked = services.check_upload(form.cleaned_data["document"])
        context.update({"report": checked.report, "file_check": checked, "file_form": VerifyFileForm()})
    response = TemplateResponse(request, "guidance/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def public_key(request):
    return HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")


@never_cache
@require_http_methods(["GET", "POST"])
def join(request, token: str):
    try:
        invitation = services.open_invitation(token)
    except InvitationError as error:
        return TemplateResponse(request, "guidance/join.html", {"error": error.message}, status=410)
    here = reverse("guidance:join", args=[token])
    context: dict[str, object] = {
        "masked_phone": invitation.guardian.masked_phone,
        "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
        "signup_url": f"{reverse('account_signup')}?{urlencode({'next': here})}",
    }
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.claim_invitation(token, request.user)
        except InvitationError as error:
            context["error"] = error.message
        else:
            return redirect("guidance:my_plans")
    return TemplateResponse(request, "guidance/join.html", context)


@login_required
@never_cache
def my_plans(request):
    rows = []
    for plan in selectors.plans_of_guardian(request.user):
        progress = services.progress_of(plan)
        own = [row for row in progress.courses if row.guardian.user_id == request.user.pk]
        bookings = services.bookings_of(plan, request.user)
        rows.append({"plan": plan, "progress": progress, "courses": own, "bookings": bookings})
    return TemplateResponse(request, "guidance/my_plans.html", {"rows": rows})
