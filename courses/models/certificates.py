"""Certificates of completion and name corrections.

A ``Certificate`` is issued once per completed enrolment; its PDF is stored and never changes.
When district staff approve a parent's ``NameCorrection``, a new certificate (``version`` + 1,
a new verification code) is issued and the old one is revoked, so a printed copy of the old
PDF still verifies — as revoked. Rules live in ``courses.certificates``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from core.storage import SettingRootStorage


@deconstructible
class CertificateStorage(SettingRootStorage):
    """PDFs outside MEDIA_ROOT: parents download them through a view that checks who asks."""

    root_setting = "CERTIFICATE_ROOT"


class Certificate(models.Model):
    """A certificate of completion, with the public verification code printed on it.

    What it states is copied from the course and the site settings when it is issued (title,
    study time in the course's own minutes, issuing organisation), so a later edit changes
    neither the stored PDF nor what the verify page says about it.
    """

    enrolment = models.ForeignKey(
        "courses.Enrolment", verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="certificates"
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("parent"), on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name on the certificate"), max_length=100)
    course_title = models.CharField(_("course title"), max_length=255)
    minutes = models.PositiveIntegerField(
        _("study time (minutes)"), help_text=_("The course's stated length when the certificate was issued.")
    )
    issuer = models.CharField(_("issuing organisation"), max_length=120, blank=True)
    completed_on = models.DateField(_("completed on"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    pdf = models.FileField(_("PDF"), storage=CertificateStorage(), upload_to="certificates/%Y/%m/", blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", verbose_name=_("replaced by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "version"], name="courses_one_certificate_version"),
            models.UniqueConstraint(
                fields=["enrolment"], condition=models.Q(revoked_at__isnull=True), name="courses_one_valid_certificate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name} · {self.course_title}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class NameCorrection(models.Model):
    """A parent asks for their name on a certificate to be corrected; district staff decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="name_corrections"
    )
    requested_name = models.CharField(_("correct name"), max_length=100)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("name correction")
        verbose_name_plural = _("name corrections")

    def __str__(self) -> str:
        return f"{self.certificate.code} → {self.requested_name}"
