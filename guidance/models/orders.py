"""Courts, their liaisons, and the court orders (家庭教育指导令) registered by district staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Court(models.Model):
    """A court that orders family-education guidance (e.g. 徐汇区人民法院)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("court")
        verbose_name_plural = _("courts")

    def __str__(self) -> str:
        return self.name


class CourtLiaison(models.Model):
    """A court liaison's scope: the court whose orders they follow (read-only)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="court_liaison", verbose_name=_("user")
    )
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="liaisons", verbose_name=_("court"))

    class Meta:
        verbose_name = _("court liaison")
        verbose_name_plural = _("court liaisons")

    def __str__(self) -> str:
        return f"{self.user} · {self.court}"


class CourtOrder(models.Model):
    """A family-education guidance order (家庭教育指导令); registering it creates its plan."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="orders", verbose_name=_("court"))
    order_number = models.CharField(_("order number"), max_length=80, unique=True)
    issued_on = models.DateField(_("date of the order"))
    required_content = models.TextField(_("required content"))
    required_hours = models.PositiveSmallIntegerField(_("required hours"))
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("court order")
        verbose_name_plural = _("court orders")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="guidance_order_period")
        ]

    def __str__(self) -> str:
        return self.order_number
