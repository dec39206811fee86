from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from allauth.mfa.utils import is_mfa_enabled

from core import elder_mode


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


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return "/"


def _switch_elder_mode(request: HttpRequest, *, on: bool) -> HttpResponse:
    if request.user.is_authenticated and request.user.elder_mode != on:
        request.user.elder_mode = on
        request.user.save(update_fields=["elder_mode"])
    response = redirect(_safe_next(request))
    elder_mode.remember(response, on=on)
    return response


_switch_for_account = csrf_protect(_switch_elder_mode)


@csrf_exempt
@require_POST
def set_elder_mode(request: HttpRequest) -> HttpResponse:
    """Turns 长辈模式 on or off (``elder_mode=on|off``), then goes back to ``next``.

    A plain form POST, so it works without JavaScript. Signed in, the choice is also saved on
    the account, and Django's CSRF check applies as to any form (signed-in pages are rendered
    per visitor anyway). Signed out, only the browser's cookie changes, like the language
    switcher (huiai/urls.py): a per-visitor token in the switch on every page would make every
    anonymous page uncacheable (core/page_cache.py), and what a forged request could do is
    make the type larger, undone with one tap. Browsers that say the request came from
    another site (``Sec-Fetch-Site: cross-site``) are refused even then.
    """
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return HttpResponseForbidden()
    choice = request.POST.get("elder_mode")
    if choice not in ("on", "off"):
        return HttpResponseBadRequest()
    if request.user.is_authenticated:
        return _switch_for_account(request, on=choice == "on")
    return _switch_elder_mode(request, on=choice == "on")
