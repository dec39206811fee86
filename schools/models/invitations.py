"""Invitations to become a school officer: a single-use, expiring link sent to one address."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .places import School, SchoolMembership


def token_hash(token: str) -> str:
    """Only this hash is stored: the token itself exists in the message and the invitee's hands."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class OfficerInvitation(models.Model):
    """District staff invite a person to be an officer (or principal) of a school.

    Nothing is granted when the invitation is made. The link goes to one e-mail address or
    mobile number (an invitation to both is two rows of one ``batch``); whoever opens it signs
    in or signs up and accepts, and only then gets the role and the membership, with the
    address recorded as verified on their account, because the link reached it. The token
    works once, until ``expires_at``, unless revoked (accepting one row of a batch closes the
    others).
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")

    token_hash = models.CharField(max_length=64, unique=True)
    batch = models.UUIDField(db_index=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("school"))
    role = models.CharField(_("role"), max_length=20, choices=SchoolMembership.Role.choices)
    name = models.CharField(_("name"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("sent to"), max_length=254)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_at = models.DateTimeField(_("withdrawn or replaced"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("officer invitation")
        verbose_name_plural = _("officer invitations")

    def __str__(self) -> str:
        return f"{self.school} · {self.channel}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.closed_at is None and self.expires_at > timezone.now()

    @property
    def masked_address(self) -> str:
        """The address as shown to others than the invitee: 139****1234, l***@example.org."""
        if self.channel == self.Channel.SMS:
            digits = self.address.removeprefix("+86")
            return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else digits
        local, _at, domain = self.address.partition("@")
        return f"{local[:1]}***@{domain}"
