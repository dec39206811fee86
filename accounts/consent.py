"""Consent to the privacy notice, given when an account is created.

Sign-up cannot finish without ticking the box (``accounts.forms.SignupForm``); the consent is
recorded against the new user in Wagtail's audit log (``ModelLogEntry``: who, which action,
when), which district staff read in the admin's site history, and which a later re-consent
(a changed notice) would add to rather than overwrite.
"""

from __future__ import annotations

from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

PRIVACY_CONSENT_ACTION = "accounts.privacy_consent"


def record_privacy_consent(*, user, via: str) -> ModelLogEntry:
    """Records that ``user`` agreed to the privacy notice now, and where (``via``: "signup")."""
    entry: ModelLogEntry = log(
        instance=user,
        action=PRIVACY_CONSENT_ACTION,
        user=user,
        data={"via": via},
        timestamp=timezone.now(),
    )
    return entry


def privacy_consents(user):
    """The user's consents to the privacy notice, newest first (each with its ``timestamp``)."""
    return ModelLogEntry.objects.for_instance(user).filter(action=PRIVACY_CONSENT_ACTION).order_by("-timestamp")
