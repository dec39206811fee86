"""Sealed completion reports: a stored PDF, its SHA-256 and its Ed25519 signature, never rewritten."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from core.storage import SettingRootStorage

from .plans import GuidancePlan

# The only fields a sealed report may still change: being superseded by a correction.
MUTABLE_FIELDS = frozenset({"superseded_at", "superseded_by"})


class ReportIsSealed(Exception):
    """A sealed report was asked to change or disappear."""


@deconstructible
class ReportStorage(SettingRootStorage):
    """PDFs outside MEDIA_ROOT: downloaded only through a view that checks who asks."""

    root_setting = "GUIDANCE_REPORT_ROOT"


class ReportQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        if not set(kwargs) <= MUTABLE_FIELDS:
            raise ReportIsSealed("A completion report cannot be changed; issue a correction instead.")
        return super().update(**kwargs)

    def delete(self) -> Any:
        raise ReportIsSealed("A completion report cannot be deleted.")


class CompletionReport(models.Model):
    """A completion report on a plan: issued once, corrected only by a new version.

    The PDF's bytes, their SHA-256 (``sha256``) and the district's Ed25519 signature over those
    bytes (``signature``, hex) are fixed when the row is written. A correction issues version + 1
    with a new code and marks this one superseded; its code still verifies, as superseded.
    """

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("All requirements met")
        UNMET = "unmet", _("Period ended with requirements unmet")

    plan = models.ForeignKey(GuidancePlan, on_delete=models.PROTECT, related_name="reports", verbose_name=_("plan"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    order_number = models.CharField(_("order number"), max_length=80, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    pdf = models.FileField(_("PDF"), storage=ReportStorage(), upload_to="reports/%Y/%m/")
    sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    signature = models.CharField(_("Ed25519 signature"), max_length=128)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("replaced by"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("completion report")
        verbose_name_plural = _("completion reports")
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="guidance_report_version"),
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(superseded_at__isnull=True), name="guidance_one_current_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not set(kwargs.get("update_fields") or ()) <= MUTABLE_FIELDS | {"pk"}:
            raise ReportIsSealed("A completion report cannot be changed; issue a correction instead.")
        if self.pk is not None and not kwargs.get("update_fields"):
            raise ReportIsSealed("A completion report cannot be changed; issue a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ReportIsSealed("A completion report cannot be deleted.")

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None
