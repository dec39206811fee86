"""Who becomes a school officer, and how: invitations, their acceptance, memberships.

The one place where the school officer role and a ``SchoolMembership`` are granted or taken
away, whether from the invitation page or the Wagtail admin; every step is written to the
audit log.

Threat: anyone can sign up with ``principal@school…`` (unverified) before the district
invites that address. So an invitation never looks for an existing account. It is a random
token (only its hash is stored) sent through the outbox to the one address or number given;
whoever opens the link signs in or signs up, and accepts. Only then are the role and the
membership granted, and the invited address is recorded as *verified* on the accepting
account, because the link reached it. Another account's unverified claim to that address is
dropped. A token works once, until ``SCHOOLS_INVITATION_DAYS`` have passed, unless revoked.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role, add_role, remove_role

from . import audit, notifications
from .models import AuditLog, Notification, OfficerInvitation, SchoolMembership
from .models.invitations import token_hash
from .services import WorkflowError, is_district

REDACTED = "[invitation link removed: the invitation was used, revoked or replaced]"


class InvitationUnusable(WorkflowError):
    """The token is unknown, used, expired or revoked; ``message`` says which, for the invitee."""


UNKNOWN = gettext_lazy("This invitation link is not valid. Check that you opened the whole link, or ask for a new one.")
USED = gettext_lazy("This invitation has already been used. It works only once.")
EXPIRED = gettext_lazy("This invitation has expired. Ask the district minors-protection centre for a new one.")
REVOKED = gettext_lazy("This invitation was withdrawn by the district minors-protection centre.")


@dataclass
class Invited:
    """What ``invite_officer`` made: the rows, and the tokens (for the messages; never stored)."""

    invitations: list[OfficerInvitation]
    tokens: list[str]


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("schools:invitation", args=[token])


def invite_officer(*, by, school, role: str, name: str = "", email: str = "", phone: str = "") -> Invited:
    """District staff invite a person to be an officer (or principal) of ``school``.

    One invitation per address given (e-mail, mobile number), each with its own link, sent
    through the outbox in this transaction. Nothing is granted yet. Earlier pending
    invitations to the same address for the same school are closed (replaced).
    """
    if not is_district(by):
        raise PermissionDenied(_("Only district staff invite school officers."))
    email = (email or "").strip().lower()
    phone = (phone or "").strip()
    if not email and not phone:
        raise WorkflowError(_("Give the person's mobile number or e-mail address."))
    if role not in SchoolMembership.Role.values:
        raise WorkflowError(_("Choose the person's role at the school."))
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=settings.SCHOOLS_INVITATION_DAYS)
    batch = uuid.uuid4()
    role_label = SchoolMembership.Role(role).label
    made, tokens = [], []
    with transaction.atomic():
        for channel, address in ((OfficerInvitation.Channel.EMAIL, email), (OfficerInvitation.Channel.SMS, phone)):
            if not address:
                continue
            for older in OfficerInvitation.objects.select_for_update().filter(
                school=school, channel=channel, address=address, accepted_at=None, closed_at=None
            ):
                _close(older, by=by, reason="replaced")
            token = secrets.token_urlsafe(32)
            invitation = OfficerInvitation.objects.create(
                token_hash=token_hash(token),
                batch=batch,
                school=school,
                role=role,
                name=name.strip(),
                channel=channel,
                address=address,
                invited_by=by,
                created_at=now,
                expires_at=expires_at,
            )
            body = _(
                "The district minors-protection centre invites you to be %(role)s of %(school)s on Huiai. "
                "Open %(link)s within %(days)s days, sign in or create an account, and accept. "
                "The link works once; do not pass it on."
            ) % {
                "role": role_label,
                "school": school.name,
                "link": invitation_url(token),
                "days": settings.SCHOOLS_INVITATION_DAYS,
            }
            Notification.objects.create(
                recipient=None,
                channel=channel,
                address=address,
                subject=_("You are invited to handle bullying reports for %(school)s") % {"school": school.name},
                body=body,
                report=None,
                dedupe_key=f"invitation:{invitation.pk}",
            )
            audit.record(
                by,
                AuditLog.Action.INVITE,
                None,
                invitation=invitation.pk,
                school=school.pk,
                role=role,
                channel=channel,
                address=invitation.masked_address,
            )
            made.append(invitation)
            tokens.append(token)
        transaction.on_commit(notifications.kick_delivery)
    return Invited(invitations=made, tokens=tokens)


def _redact_message(invitation: OfficerInvitation) -> None:
    """The outbox row carries the link until it is sent; once the link is dead it goes too."""
    Notification.objects.filter(dedupe_key=f"invitation:{invitation.pk}").update(body=REDACTED)


def _close(invitation: OfficerInvitation, *, by, reason: str) -> None:
    invitation.closed_at = timezone.now()
    invitation.closed_by = by if getattr(by, "is_authenticated", False) else None
    invitation.save(update_fields=["closed_at", "closed_by"])
    _redact_message(invitation)
    audit.record(
        by,
        AuditLog.Action.INVITE_REVOKE,
        None,
        invitation=invitation.pk,
        school=invitation.school_id,
        reason=reason,
        address=invitation.masked_address,
    )


def find(token: str, *, lock: bool = False) -> OfficerInvitation:
    """The invitation of ``token``, or ``InvitationUnusable`` saying why it cannot be used."""
    if not token or len(token) > 100:
        raise InvitationUnusable(UNKNOWN)
    rows = OfficerInvitation.objects.select_related("school")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationUnusable(UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationUnusable(USED)
    if invitation.closed_at is not None:
        raise InvitationUnusable(REVOKED)
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(EXPIRED)
    return invitation


def pending_invitations():
    return OfficerInvitation.objects.select_related("school", "invited_by").filter(
        accepted_at=None, closed_at=None, expires_at__gt=timezone.now()
    )


def revoke(invitation: OfficerInvitation, *, by) -> None:
    if not is_district(by):
        raise PermissionDenied
    with transaction.atomic():
        invitation = OfficerInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None or invitation.closed_at is not None:
            raise WorkflowError(_("This invitation is no longer pending."))
        _close(invitation, by=by, reason="revoked")


def _record_verified_email(user, email: str) -> None:
    """The link reached ``email``: it is this user's verified address from now on.

    Other accounts' *unverified* claims to it are dropped (they never proved it); an account
    that verified it earlier keeps it, and the acceptance is refused.
    """
    from allauth.account.models import EmailAddress

    User = get_user_model()  # noqa: N806
    if EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(user=user).exists():
        raise WorkflowError(
            _("This e-mail address is verified on another account. Sign in with that account to accept.")
        )
    EmailAddress.objects.filter(email__iexact=email, verified=False).exclude(user=user).delete()
    User.objects.filter(email__iexact=email).exclude(pk=user.pk).update(email="")
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        address = EmailAddress.objects.create(user=user, email=email, verified=True, primary=not has_primary)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if not user.email:
        user.email = email
        user.save(update_fields=["email"])


def _record_verified_phone(user, phone: str) -> None:
    """The link reached ``phone`` by text message: it is this user's verified number."""
    User = get_user_model()  # noqa: N806
    if user.phone and user.phone != phone:
        raise WorkflowError(
            _("This invitation was sent to another mobile number than your account's. Sign in with that number.")
        )
    if User.objects.filter(phone=phone, phone_verified=True).exclude(pk=user.pk).exists():
        raise WorkflowError(
            _("This mobile number is verified on another account. Sign in with that account to accept.")
        )
    User.objects.filter(phone=phone, phone_verified=False).exclude(pk=user.pk).update(phone=None)
    user.phone, user.phone_verified = phone, True
    user.save(update_fields=["phone", "phone_verified"])


def accept(token: str, *, user) -> SchoolMembership:
    """``user`` (signed in, having opened the link) accepts: role, membership, verified address."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    with transaction.atomic():
        invitation = find(token, lock=True)
        if invitation.channel == OfficerInvitation.Channel.EMAIL:
            _record_verified_email(user, invitation.address)
        else:
            _record_verified_phone(user, invitation.address)
        if invitation.name and not user.name:
            user.name = invitation.name
            user.save(update_fields=["name"])
        add_role(user, Role.SCHOOL_OFFICER)
        membership, created = SchoolMembership.objects.update_or_create(
            user=user, school=invitation.school, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _redact_message(invitation)
        audit.record(
            user,
            AuditLog.Action.INVITE_ACCEPT,
            None,
            invitation=invitation.pk,
            school=invitation.school_id,
            role=invitation.role,
            membership=membership.pk,
            new_membership=created,
            verified=invitation.channel,
            invited_by=invitation.invited_by_id,
        )
        for sibling in OfficerInvitation.objects.select_for_update().filter(
            batch=invitation.batch, accepted_at=None, closed_at=None
        ):
            _close(sibling, by=user, reason="accepted_by_sibling")
    return membership


# --- Memberships changed or removed in the Wagtail admin -----------------------------------------


def change_membership_role(membership: SchoolMembership, *, by, role: str) -> SchoolMembership:
    if not is_district(by):
        raise PermissionDenied
    if role not in SchoolMembership.Role.values:
        raise WorkflowError(_("Choose the person's role at the school."))
    with transaction.atomic():
        membership = SchoolMembership.objects.select_for_update().get(pk=membership.pk)
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            by,
            AuditLog.Action.MEMBERSHIP_CHANGE,
            None,
            membership=membership.pk,
            person=membership.user_id,
            school=membership.school_id,
            role_before=before,
            role=role,
        )
    return membership


def remove_membership(membership: SchoolMembership, *, by) -> None:
    """Ends a membership; the school officer role goes with the person's last one."""
    if not is_district(by):
        raise PermissionDenied
    with transaction.atomic():
        user = membership.user
        audit.record(
            by,
            AuditLog.Action.MEMBERSHIP_REMOVE,
            None,
            membership=membership.pk,
            person=membership.user_id,
            school=membership.school_id,
            role=membership.role,
        )
        membership.delete()
        if not SchoolMembership.objects.filter(user=user).exists():
            remove_role(user, Role.SCHOOL_OFFICER)  # recorded by schools.role_audit
