"""Multi-factor authentication and staff session lifetime, enforced in one place.

``MFARequiredMiddleware`` asks what *this session* did to sign in (allauth's authentication
records, kept in the session), never only what the user owns; see ``accounts.roles`` for who
must use a second factor and why. ``StaffSessionExpiryMiddleware`` ends the sessions of
everyone who works in the admin or sees case data after an idle period and a maximum age.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled

from . import roles

SENSITIVE_AREA_ATTRIBUTE = "huiai_sensitive_area"
# The authenticator types allauth's sign-in asks for (allauth.mfa.stages.AuthenticateStage):
# recovery codes alone are a fallback, not a factor of their own.
SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
# Session keys: when this session signed in, and when it was last used.
SIGNED_IN_AT_KEY = "huiai_signed_in_at"
LAST_SEEN_KEY = "huiai_last_seen_at"
# The session row and cookie outlive the limits by this much, so that the middleware (not the
# session store) ends the session and can tell the person why; after it they expire anyway.
EXPIRY_GRACE_SECONDS = 60 * 60
# The last-seen time is rewritten at most this often, so a busy staff session is saved once a
# minute, not on every request; an idle limit may then end a session up to this much early.
LAST_SEEN_RESOLUTION_SECONDS = 60


def sensitive_area(view):
    """Marks a view (function or class) as showing bullying reports or other minors' data.

    The marker is all a view needs: ``MFARequiredMiddleware`` sends anonymous visitors to
    sign in, refuses (403) everyone whose role has no business with such data (parents,
    teachers, editors), sends school officers and district staff to set up two-step
    verification, and to re-enter their code when this session has not passed it. Record-level
    rules (own school only, …) remain the view's job. Views for anonymous reporters (receipt
    codes) must not be marked.
    """
    setattr(view, SENSITIVE_AREA_ATTRIBUTE, True)
    return view


def is_sensitive_area(view_func) -> bool:
    target = getattr(view_func, "view_class", view_func)
    return getattr(view_func, SENSITIVE_AREA_ATTRIBUTE, False) or getattr(target, SENSITIVE_AREA_ATTRIBUTE, False)


STAFF_AREA_ATTRIBUTE = "huiai_staff_area"


def staff_area(view):
    """Marks a view that staff of several kinds use and that names families (a class's parents)
    or counts them (participation statistics), but shows no bullying case.

    Unlike ``sensitive_area`` nobody is refused for their role here (head teachers and street
    workstation staff, who need no second factor, use these pages; the view decides who sees
    what). But the second-factor rules hold as in the admin: anonymous visitors are sent to
    sign in, roles that require a second factor must have set it up and passed it in this
    session, and whoever owns one must have passed it.
    """
    setattr(view, STAFF_AREA_ATTRIBUTE, True)
    return view


def is_staff_area(view_func) -> bool:
    return getattr(view_func, STAFF_AREA_ATTRIBUTE, False)


def is_admin_path(path: str) -> bool:
    """Anything under the Wagtail admin, except signing out (which must always work)."""
    admin_root = reverse("wagtailadmin_home")
    return path.startswith(admin_root) and path != reverse("wagtailadmin_logout")


def owns_second_factor(user) -> bool:
    return is_mfa_enabled(user, SECOND_FACTOR_TYPES)


def session_passed_second_factor(request) -> bool:
    """Whether this session's sign-in included a second factor (allauth records method "mfa"
    after the authenticator-app or recovery-code step, at sign-in or on re-authentication)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class MFARequiredMiddleware:
    """Keeps ``sensitive_area`` views and the Wagtail admin behind a second factor.

    For ``roles.requires_mfa`` users (school officers, district staff, superusers): no
    authenticator yet → the "set up two-step verification" page; an authenticator but a session
    that has not passed it (made by another path, or before the authenticator was added) →
    allauth's "enter your code" re-authentication. Teachers and editors who switched it on are
    held to it the same way in the admin. Everyone else is refused ``sensitive_area`` views.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        sensitive = is_sensitive_area(view_func)
        staff = is_staff_area(view_func)
        if not sensitive and not staff and not is_admin_path(request.path):
            return None
        user = request.user
        if not user.is_authenticated:
            # The admin sends anonymous visitors to sign in itself (wagtail.admin.auth).
            return redirect_to_login(request.get_full_path()) if sensitive or staff else None
        if not sensitive and not staff and not user.has_perm("wagtailadmin.access_admin"):
            return None  # the admin refuses them itself
        required = roles.requires_mfa(user)
        if sensitive and not roles.sees_case_data(user):
            raise PermissionDenied
        owned = owns_second_factor(user)
        if required and not owned:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:mfa_required')}?{query}")
        if owned and not session_passed_second_factor(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return None


@receiver(user_logged_in, dispatch_uid="huiai_session_signed_in_at")
def remember_sign_in_time(sender, request, user, **kwargs):
    """Every sign-in (whatever path) stamps the session, so its age can be limited."""
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SIGNED_IN_AT_KEY] = now
        session[LAST_SEEN_KEY] = now


class StaffSessionExpiryMiddleware:
    """Ends a staff session after ``STAFF_SESSION_IDLE_SECONDS`` without a request, and
    ``STAFF_SESSION_MAX_AGE_SECONDS`` after sign-in, whichever comes first.

    Staff are everyone ``roles.has_staff_session`` names (admin roles, school officers,
    superusers): a forgotten browser on a shared school computer must not stay signed in to
    children's case data. The person lands on the sign-in page with a message saying why; the
    session's row and cookie expire soon after as a backstop (``set_expiry``). A staff session
    without a sign-in time (signed in before this rule existed) counts as expired.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and roles.has_staff_session(user):
            response = self.check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request):
        session = request.session
        now = time.time()
        idle = settings.STAFF_SESSION_IDLE_SECONDS
        max_age = settings.STAFF_SESSION_MAX_AGE_SECONDS
        signed_in_at = session.get(SIGNED_IN_AT_KEY)
        last_seen = session.get(LAST_SEEN_KEY, signed_in_at)
        if not isinstance(signed_in_at, (int, float)) or not isinstance(last_seen, (int, float)):
            return self.expire(request, _("Please sign in again."))
        if now - signed_in_at >= max_age:
            return self.expire(
                request,
                _("You have been signed out because you signed in more than %(hours)s hours ago. Please sign in again.")
                % {"hours": max(1, round(max_age / 3600))},
            )
        if now - last_seen >= idle:
            return self.expire(
                request,
                _("You have been signed out after %(minutes)s minutes without activity. Please sign in again.")
                % {"minutes": max(1, round(idle / 60))},
            )
        if now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS or "_session_expiry" not in session:
            session[LAST_SEEN_KEY] = now
            session.set_expiry(max(1, int(min(idle, signed_in_at + max_age - now)) + EXPIRY_GRACE_SECONDS))
        return None

    def expire(self, request, message: str):
        next_url = request.get_full_path()
        logout(request)
        messages.warning(request, message)
        if request.method != "GET":
            next_url = "/"
        return redirect_to_login(next_url)
