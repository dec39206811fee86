from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account: parent, teacher, school officer, district staff or editor.

    Chinese names are not split into first and last names, so ``name`` holds the whole
    name as the person writes it. Parents often have no e-mail address, so a verified
    mobile phone number is a first-class way to sign in (allauth's phone methods read and
    write ``phone`` and ``phone_verified`` through ``accounts.adapter``). What a user may do
    follows from their groups; see ``accounts.roles``.
    """

    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, null=True, unique=True)
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    # 长辈模式: larger type, larger buttons, fewer choices. Kept on the account so a grandparent
    # who signs in on a new phone gets it back; the browser keeps its own copy in a cookie
    # (core.elder_mode) for the pages seen while signed out.
    elder_mode = models.BooleanField(_("elder mode"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=~Q(email=""),
                name="accounts_user_email_unique_ci",
            )
        ]

    def __str__(self) -> str:
        # Generated usernames (user-xxxxxxxx) mean nothing to people: prefer what they gave us.
        return self.get_full_name() or self.masked_phone or self.email or self.username

    def get_full_name(self) -> str:
        return self.name or f"{self.last_name}{self.first_name}".strip()

    def get_short_name(self) -> str:
        return str(self)

    @property
    def masked_phone(self) -> str:
        """The phone number as shown on screen: 138****0000."""
        if not self.phone:
            return ""
        digits = self.phone.removeprefix("+86")
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else digits
