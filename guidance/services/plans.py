"""Creating plans, inviting guardians by text message, and linking their accounts.

A guardian's link is single-use and expires (``GUIDANCE_INVITATION_DAYS``); only its SHA-256 is
stored. Opening it leads through the site's one sign-in (allauth: phone and code, or sign-up
with phone verification); the link is claimed only by an account whose *verified* phone is the
number it was sent to, so a forwarded link is worth nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.adapter import normalize_phone
from accounts.roles import Role, add_role
from courses.models import CoursePage
from courses.services import assign_course
from schools.models import BullyingReport, Notification
from schools.notifications import kick_delivery

from .. import selectors
from ..models import CourtOrder, GuardianInvitation, GuidancePlan, PlanEvent, PlanGuardian
from . import events
from .errors import GuidanceError, InvitationError
from .sessions import link_bookings_of

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Guardian:
    name: str
    phone: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def plan_reason(plan: GuidancePlan) -> str:
    """The assignment's reason: it names the plan (and a court order's number), never the case."""
    with translation.override(settings.LANGUAGE_CODE):
        if plan.order_id is not None:
            assert plan.order is not None
            return _("Court-ordered family guidance %(number)s (plan %(reference)s)") % {
                "number": plan.order.order_number,
                "reference": plan.reference,
            }
        return _("Family guidance plan %(reference)s") % {"reference": plan.reference}


def create_plan(
    *,
    by: User,
    worker: User,
    courses: Sequence[CoursePage],
    course_deadline: datetime.date,
    required_sessions: int,
    ends_on: datetime.date,
    review_on: datetime.date,
    guardians: Iterable[Guardian],
    case: BullyingReport | None = None,
    order: CourtOrder | None = None,
    starts_on: datetime.date | None = None,
) -> GuidancePlan:
    """A plan for ``guardians`` of a case (the handler or district staff) or of a court order."""
    if case is not None and not selectors.may_create_plan(by, case):
        raise PermissionDenied(_("You may not create a guidance plan for this case."))
    if order is not None and not selectors.may_register_orders(by):
        raise PermissionDenied
    if not selectors.possible_workers().filter(pk=worker.pk).exists():
        raise GuidanceError(_("The guidance worker must hold the guidance worker role."))
    starts_on = starts_on or timezone.localdate()
    if ends_on < starts_on or course_deadline < starts_on:
        raise GuidanceError(_("The plan's dates must not be before its start."))
    guardians = list(guardians)
    if not guardians:
        raise GuidanceError(_("Name at least one guardian."))
    with transaction.atomic():
        plan = GuidancePlan.objects.create(
            case=case,
            order=order,
            worker=worker,
            created_by=by,
            course_deadline=course_deadline,
            required_sessions=required_sessions,
            starts_on=starts_on,
            ends_on=ends_on,
            review_on=review_on,
        )
        plan.courses.set(courses)
        events.record(plan, PlanEvent.Kind.CREATED, key="created", by=by)
        for guardian in guardians:
            add_guardian(plan, guardian)
    return plan


def add_guardian(plan: GuidancePlan, guardian: Guardian) -> PlanGuardian:
    """Adds a guardian: an existing account with that verified phone is linked at once (and told by
    text message); anyone else gets the one-time link."""
    phone = normalize_phone(guardian.phone)
    row = PlanGuardian.objects.create(plan=plan, name=guardian.name.strip(), phone=phone)
    user = get_user_model().objects.filter(phone=phone, phone_verified=True, is_active=True).first()
    if user is not None:
        link_account(row, user)
        send_text(
            phone,
            _("Huiai: a family guidance plan (%(reference)s) has been set up for you. See %(url)s")
            % {"reference": plan.reference, "url": settings.SITE_URL + reverse("guidance:my_plans")},
        )
    else:
        send_invitation(row)
    return row


def send_text(phone: str, body: str) -> None:
    """A text message through the outbox (delivered once, after the transaction commits)."""
    Notification.objects.create(channel=Notification.Channel.SMS, address=phone, body=body)
    transaction.on_commit(kick_delivery)


def send_invitation(guardian: PlanGuardian, *, now: datetime.datetime | None = None) -> str:
    """Texts the guardian a new single-use link; returns the token (kept nowhere but the message)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    invitation = GuardianInvitation.objects.create(
        guardian=guardian,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.GUIDANCE_INVITATION_DAYS),
    )
    url = settings.SITE_URL + reverse("guidance:join", args=[token])
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Huiai: a family guidance plan has been set up for you. Open %(url)s within %(days)s days "
            "and sign in with this phone number to see it."
        ) % {"url": url, "days": settings.GUIDANCE_INVITATION_DAYS}
    send_text(guardian.phone, body)
    events.record(guardian.plan, PlanEvent.Kind.INVITED, key=f"invited:{invitation.pk}", now=now)
    return token


def open_invitation(token: str, *, now: datetime.datetime | None = None) -> GuardianInvitation:
    """The invitation behind ``token`` if it may still be used; ``InvitationError`` otherwise."""
    invitation = (
        GuardianInvitation.objects.select_related("guardian", "guardian__plan")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationError(_("This link is not valid. Please ask your guidance worker for a new one."))
    if invitation.used_at is not None:
        raise InvitationError(_("This link has already been used. Sign in to see your guidance plan."))
    if invitation.expires_at <= (now or timezone.now()):
        raise InvitationError(_("This link has expired. Please ask your guidance worker for a new one."))
    return invitation


def claim_invitation(token: str, user: User, *, now: datetime.datetime | None = None) -> PlanGuardian:
    """Links ``user`` to the plan, once, if their verified phone is the number the link was sent to."""
    now = now or timezone.now()
    with transaction.atomic():
        found = open_invitation(token, now=now)
        invitation = GuardianInvitation.objects.select_for_update().get(pk=found.pk)
        if invitation.used_at is not None:
            raise InvitationError(_("This link has already been used. Sign in to see your guidance plan."))
        guardian = PlanGuardian.objects.select_for_update().select_related("plan").get(pk=invitation.guardian_id)
        if not user.phone_verified or normalize_phone(user.phone or "") != guardian.phone:
            raise InvitationError(
                _("This link was sent to %(phone)s. Please sign in with that phone number.")
                % {"phone": guardian.masked_phone}
            )
        if guardian.user_id is not None and guardian.user_id != user.pk:
            raise InvitationError(_("This link has already been used. Sign in to see your guidance plan."))
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        if guardian.user_id is None:
            link_account(guardian, user, now=now)
    return guardian


def link_account(guardian: PlanGuardian, user: User, *, now: datetime.datetime | None = None) -> None:
    """Links the account and assigns the plan's courses to it (``courses.services.assign_course``)."""
    plan = guardian.plan
    guardian.user = user
    guardian.joined_at = now or timezone.now()
    guardian.save(update_fields=["user", "joined_at"])
    add_role(user, Role.PARENT)
    reason = plan_reason(plan)
    for course in plan.courses.all():
        guardian.assignments.add(
            *assign_course(course, parents=[user], deadline=plan.course_deadline, reason=reason, assigned_by=None)
        )
    link_bookings_of(plan, user)
    events.record(plan, PlanEvent.Kind.JOINED, key=f"joined:{guardian.pk}", now=now)


def record_assessment(plan: GuidancePlan, *, by: User, text: str) -> None:
    """The worker's (or district staff's) assessment, printed on the next report."""
    if not selectors.may_manage(by, plan):
        raise PermissionDenied
    # Allowed after a report too: a changed assessment reaches the court only in a corrected report.
    plan.assessment = text.strip()
    plan.save(update_fields=["assessment"])


def resend_invitation(plan: GuidancePlan, guardian: PlanGuardian, *, by: User) -> str:
    if not selectors.may_manage(by, plan) or guardian.plan_id != plan.pk:
        raise PermissionDenied
    if guardian.user_id is not None:
        raise GuidanceError(_("This guardian has linked their account already."))
    with transaction.atomic():
        return send_invitation(guardian)
