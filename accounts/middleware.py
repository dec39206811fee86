"""Multi-factor authentication for everyone who sees minors' data, enforced in one place."""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from allauth.mfa.utils import is_mfa_enabled

from . import roles

SENSITIVE_AREA_ATTRIBUTE = "huiai_sensitive_area"


def sensitive_area(view):
    """Marks a view (function or class) as showing bullying reports or other minors' data.

    The marker is all a view needs: ``MFARequiredMiddleware`` sends anonymous visitors to
    sign in, refuses (403) everyone whose role has no business with such data (parents,
    teachers, editors), and sends school officers and district staff to set up two-step
    verification before they get in. Record-level rules (own school only, …) remain the
    view's job. Views for anonymous reporters (receipt codes) must not be marked.
    """
    setattr(view, SENSITIVE_AREA_ATTRIBUTE, True)
    return view


def is_sensitive_area(view_func) -> bool:
    target = getattr(view_func, "view_class", view_func)
    return getattr(view_func, SENSITIVE_AREA_ATTRIBUTE, False) or getattr(target, SENSITIVE_AREA_ATTRIBUTE, False)


class MFARequiredMiddleware:
    """Keeps ``sensitive_area`` views for MFA-protected roles (``accounts.roles.requires_mfa``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_sensitive_area(view_func):
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.requires_mfa(user):
            raise PermissionDenied
        if not is_mfa_enabled(user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:mfa_required')}?{query}")
        return None
