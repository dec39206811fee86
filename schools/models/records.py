"""Records that must never be lost or rewritten: the audit log and the notification outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedTextField
from .cases import BullyingReport


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry through the application."""


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")


class AuditLog(models.Model):
    """Who saw or changed which case, in which role, and when. Append-only.

    Written by ``schools.audit``; read by district leads. No edit view exists, and the model
    refuses updates and deletes, so the application cannot rewrite history.
    """

    class Action(models.TextChoices):
        VIEW_LIST = "view_list", _("Viewed the case list")
        VIEW_CASE = "view_case", _("Viewed a case")
        VIEW_ATTACHMENT = "view_attachment", _("Opened an attachment")
        CREATE = "create", _("Created a draft")
        UPDATE = "update", _("Changed a draft")
        TRANSITION = "transition", _("Changed the status")
        ASSIGN = "assign", _("Assigned a handler")
        CONSULTATION = "consultation", _("Recorded a consultation")
        NOTE = "note", _("Added a note")
        ESCALATE = "escalate", _("Escalated an overdue step")
        EXPORT = "export", _("Exported cases")
        VIEW_DASHBOARD = "view_dashboard", _("Viewed the dashboard")
        INVITE = "invite", _("Invited a school officer")
        VIEW_AUDIT = "view_audit", _("Read the audit log")
        ANONYMOUS_REPORT = "anonymous_report", _("Anonymous report received")
        REPORTER_VIEW = "reporter_view", _("Anonymous reporter opened their report")
        MESSAGE = "message", _("Sent a message")
        INVITE_ACCEPT = "invite_accept", _("Accepted an invitation")
        INVITE_REVOKE = "invite_revoke", _("Revoked an invitation")
        MEMBERSHIP_CHANGE = "membership_change", _("Changed a school membership")
        MEMBERSHIP_REMOVE = "membership_remove", _("Removed a school membership")
        ROLE_GRANT = "role_grant", _("Granted a role")
        ROLE_REVOKE = "role_revoke", _("Took a role away")
        EXPORT_AUDIT = "export_audit", _("Exported the audit log")
        # Guidance stations' session records (workstations.appointments): encrypted and audited
        # like case data, though they belong to no case.
        VIEW_SESSION_RECORD = "view_session_record", _("Read a session record")
        WRITE_SESSION_RECORD = "write_session_record", _("Wrote a session record")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_label = models.CharField(_("who"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=30, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    report = models.ForeignKey(BullyingReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")

    @property
    def actor_role_display(self) -> str:
        from accounts.roles import Role

        try:
            return Role(self.actor_role).label
        except ValueError:
            return self.actor_role


class Notification(models.Model):
    """An outbox entry: written in the same transaction as the change it announces.

    ``schools.tasks.deliver_pending_notifications`` sends each one once (a row lock held from
    claim to the ``sent_at`` stamp, in one transaction per row), so a report is never announced
    twice nor lost when the broker or the mail server is down. A failed row is retried at
    ``next_attempt_at``, with a growing delay and no limit on how long. Bodies carry the case
    number and a link, never a student's details.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    report = models.ForeignKey(BullyingReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(sent_at__isnull=True), name="schools_notif_due_idx"
            )
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.channel} → {self.address}: {self.subject or self.body[:40]}"


class AnonymousReceipt(models.Model):
    """How an anonymous reporter gets back to their report: only the hash of their receipt code.

    The code itself is shown once and never stored. Nothing here (or anywhere) records the
    reporter's IP address or browser; ``contact`` is optional and encrypted.
    """

    class ReporterKind(models.TextChoices):
        STUDENT = "student", _("A student")
        PARENT = "parent", _("A parent or guardian")
        BYSTANDER = "bystander", _("Someone else who saw or heard about it")

    report = models.OneToOneField(BullyingReport, on_delete=models.CASCADE, related_name="receipt")
    code_hash = models.CharField(max_length=64, unique=True)
    reporter_kind = models.CharField(_("who is reporting"), max_length=20, choices=ReporterKind.choices, blank=True)
    contact = EncryptedTextField(_("contact (optional)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The one-time key of the form that filed the report (its hash), so a repeated post of the
    # same form files nothing; and, for a few minutes, the code sealed with that key, so the
    # repeat can show the same receipt. Without the key (never stored) the seal opens nothing.
    submission_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    sealed_code = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("anonymous receipt")
        verbose_name_plural = _("anonymous receipts")

    def __str__(self) -> str:
        return f"receipt for {self.report_id}"


class CaseMessage(models.Model):
    """A message between an anonymous reporter and the people handling the case."""

    class Author(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        HANDLER = "handler", _("Case handler")
        # Written by the system, e.g. when the school is asked to look into the report.
        NOTICE = "notice", _("District centre")

    report = models.ForeignKey(BullyingReport, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=20, choices=Author.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case message")
        verbose_name_plural = _("case messages")

    def __str__(self) -> str:
        return f"{self.author_kind} · {self.created_at:%Y-%m-%d %H:%M}"


class FormKey(models.Model):
    """A used one-time form key (its hash only): a repeated post of the same form adds nothing.

    Claimed in the transaction that saves what the form creates (``schools.services.claim_form_key``),
    so a double click is refused by the unique index even when both posts arrive at once. Holds
    no user, report or time of day beyond ``created_at``, kept a day for the clean-up.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("used form key")
        verbose_name_plural = _("used form keys")

    def __str__(self) -> str:
        return self.key_hash[:12]
