from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from allauth.mfa.utils import is_mfa_enabled


@login_required
def mfa_required(request):
    """Explains why a staff member must set up two-step verification, and where."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    context = {"next_url": next_url, "mfa_enabled": is_mfa_enabled(request.user)}
    return render(request, "accounts/mfa_required.html", context)


def sign_in_with_allauth(request, *args, **kwargs):
    """Stands in for every other login view (Wagtail's ``/admin/login/``, ``/_util/login/``).

    There is one way to sign in: allauth's, with its rate limits and its second-factor step.
    Whatever is asked or posted here, nobody is signed in; the visitor is sent to allauth's
    sign-in page with the ``next`` address kept when it is on this site.
    """
    next_url = request.GET.get("next", "")
    login_url = reverse("account_login")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        login_url = f"{login_url}?{urlencode({'next': next_url})}"
    return redirect(login_url)
