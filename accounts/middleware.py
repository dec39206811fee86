"""Multi-factor authentication for everyone who sees minors' data, enforced in one place."""

from django.shortcuts import redirect
from django.urls import reverse

from allauth.mfa.utils import is_mfa_enabled

from . import roles

SENSITIVE_AREA_ATTRIBUTE = "huiai_sensitive_area"


def sensitive_area(view):
    """Marks a view as showing bullying reports or other minors' data.

    The marker is all a view needs: ``MFARequiredMiddleware`` keeps every user whose role
    requires MFA out until they have enabled it, and keeps everyone without such a role
    out altogether unless the view checks record-level access itself.
    """
    setattr(view, SENSITIVE_AREA_ATTRIBUTE, True)
    return view


class MFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        target = getattr(view_func, "view_class", view_func)
        if not (getattr(view_func, SENSITIVE_AREA_ATTRIBUTE, False) or getattr(target, SENSITIVE_AREA_ATTRIBUTE, False)):
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
        if roles.requires_mfa(user) and not is_mfa_enabled(user):
            return redirect(f"{reverse('accounts:mfa_required')}?next={request.get_full_path()}")
        return None
