from django.contrib.auth.decorators import login_required
from django.shortcuts import render
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
