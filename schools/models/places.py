"""Where cases happen: the district's streets/towns, its schools and who works for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StreetTown(models.Model):
    """One of Xuhui's 13 streets/towns (12 subdistricts and 1 town): the unit of the district's map.

    ``code`` uses the same values as the workstation directory's ``Street`` choices, so cases
    and workstations can be matched by street/town.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("street/town")
        verbose_name_plural = _("streets/towns")

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school in the district; reports are filed for, and access is granted by, a school."""

    class Level(models.TextChoices):
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        PRIMARY = "primary", _("Primary school")
        JUNIOR_SECONDARY = "junior_secondary", _("Junior secondary school")
        SENIOR_SECONDARY = "senior_secondary", _("Senior secondary school")
        NINE_YEAR = "nine_year", _("Nine-year school")
        VOCATIONAL = "vocational", _("Vocational school")
        SPECIAL = "special", _("Special education school")

    name = models.CharField(_("name"), max_length=120, unique=True)
    street_town = models.ForeignKey(
        StreetTown, on_delete=models.PROTECT, related_name="schools", verbose_name=_("street/town")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return self.name


class SchoolMembership(models.Model):
    """A member of a school's staff with a role that gives access to that school's cases only."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Anti-bullying officer")
        PRINCIPAL = "principal", _("Principal")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="school_memberships", verbose_name=_("user")
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("school"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="schools_membership_unique")]
        verbose_name = _("school membership")
        verbose_name_plural = _("school memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.school} ({self.get_role_display()})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from accounts.roles import Role, has_role

        if self.user_id and not has_role(self.user, Role.SCHOOL_OFFICER):
            raise ValidationError(
                {"user": _("This person does not have the school officer role yet. Ask an administrator to add it.")}
            )
