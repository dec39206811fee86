"""Inviting school officers (district staff) and accepting an invitation (the invitee).

The invitee's link ``/schools/invitations/<token>/`` puts the token in the session and
redirects at once to ``/schools/invitations/accept/``, so the token leaves the address bar
(and any Referer) before a page is shown. From there the invitee signs in or signs up with
allauth (``next`` brings them back; a sign-in keeps the session's data) and accepts with a
POST. See ``schools.invitations`` for what acceptance grants.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.middleware import sensitive_area

from . import invitations, services
from .forms import InviteOfficerForm
from .models import OfficerInvitation

SESSION_KEY = "schools_invitation_token"


@sensitive_area
@never_cache
@require_http_methods(["GET", "POST"])
def invite_officer(request):
    """District staff invite a school officer by mobile number or e-mail; pending invitations, revoke."""
    if not services.is_district(request.user):
        raise PermissionDenied
    form = InviteOfficerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invited = invitations.invite_officer(
                by=request.user,
                school=data["school"],
                role=data["role"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
            )
        except services.WorkflowError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "The invitation to %(school)s is on its way to %(addresses)s. "
                    "Nothing is granted until the person opens the link and accepts."
                )
                % {
                    "school": data["school"].name,
                    "addresses": "、".join(item.masked_address for item in invited.invitations),
                },
            )
            return redirect("schools:invite_officer")
    status = 400 if request.method == "POST" else 200
    pending = invitations.pending_invitations()
    context = {"form": form, "pending": pending, "invitation_days": settings.SCHOOLS_INVITATION_DAYS}
    return render(request, "schools/invite_officer.html", context, status=status)


@sensitive_area
@require_POST
def revoke_invitation(request, pk: int):
    if not services.is_district(request.user):
        raise PermissionDenied
    invitation = get_object_or_404(OfficerInvitation, pk=pk)
    try:
        invitations.revoke(invitation, by=request.user)
    except services.WorkflowError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The invitation was withdrawn. Its link no longer works."))
    return redirect("schools:invite_officer")


def _unusable(request, message, status):
    request.session.pop(SESSION_KEY, None)
    return render(request, "schools/invitation.html", {"error": message}, status=status)


@never_cache
def invitation(request, token: str):
    """The link in the message: keep the token in the session, then show the acceptance page."""
    try:
        invitations.find(token)
    except invitations.InvitationUnusable as refused:
        return _unusable(request, refused.message, 404 if refused.message == invitations.UNKNOWN else 410)
    request.session[SESSION_KEY] = token
    return redirect("schools:invitation_accept")


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request):
    token = request.session.get(SESSION_KEY, "")
    try:
        found = invitations.find(token)
    except invitations.InvitationUnusable as refused:
        return _unusable(request, refused.message, 404 if refused.message == invitations.UNKNOWN else 410)
    context = {"invitation": found}
    if not request.user.is_authenticated:
        here = urlencode({"next": reverse("schools:invitation_accept")})
        context |= {
            "login_url": f"{reverse('account_login')}?{here}",
            "signup_url": f"{reverse('account_signup')}?{here}",
        }
        return render(request, "schools/invitation.html", context)
    if request.method == "POST":
        try:
            membership = invitations.accept(token, user=request.user)
        except invitations.InvitationUnusable as refused:
            return _unusable(request, refused.message, 410)
        except services.WorkflowError as refused:
            context["error"] = refused.message
            return render(request, "schools/invitation.html", context, status=400)
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            _("You are now %(role)s of %(school)s. Set up two-step verification to see the school's cases.")
            % {"role": membership.get_role_display(), "school": membership.school.name},
        )
        return redirect("schools:case_list")
    return render(request, "schools/invitation.html", context)
