"""Courts and their liaisons' accounts, managed by district staff.

A court liaison (role 「法院联络员」) follows the orders of one court (``CourtLiaison``), read-only,
with a second factor. District staff add the liaison by name and mobile number: an account with
that number becomes the liaison (one court at most); otherwise an account is made for the number
and the person signs in with it (a text-message code), then must set up an authenticator app.
Removing a liaison removes the court scope and the role: their access ends at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.adapter import new_username, normalize_phone
from accounts.roles import Role, add_role, remove_role

from .. import selectors
from ..models import Court, CourtLiaison
from .errors import GuidanceError
from .plans import send_text

if TYPE_CHECKING:
    from accounts.models import User


def _require_district(by: User) -> None:
    if not selectors.may_manage_courts(by):
        raise PermissionDenied


def add_court(*, by: User, name: str) -> Court:
    _require_district(by)
    name = " ".join(name.split())
    if not name:
        raise GuidanceError(_("Give the court's name."))
    if Court.objects.filter(name__iexact=name).exists():
        raise GuidanceError(_("This court is listed already."))
    return Court.objects.create(name=name)


def add_liaison(*, by: User, court: Court, name: str, phone: str) -> CourtLiaison:
    """The account with ``phone`` (made if there is none) becomes ``court``'s liaison, and is told."""
    _require_district(by)
    phone = normalize_phone(phone)
    users = get_user_model().objects
    with transaction.atomic():
        user = users.select_for_update().filter(phone=phone).first()
        if user is None:
            user = users.create(username=new_username(), phone=phone, name=" ".join(name.split())[:150])
            user.set_unusable_password()
            user.save(update_fields=["password"])
        elif not user.is_active:
            raise GuidanceError(_("The account with this number is deactivated."))
        existing = CourtLiaison.objects.filter(user=user).select_related("court").first()
        if existing is not None:
            raise GuidanceError(
                _("This person is the liaison of %(court)s already; remove them there first.")
                % {"court": existing.court.name}
            )
        link = CourtLiaison.objects.create(user=user, court=court)
        add_role(user, Role.COURT_LIAISON)
        with translation.override(settings.LANGUAGE_CODE):
            send_text(
                phone,
                _(
                    "Huiai: you can now follow the family-education guidance orders of %(court)s. Sign in "
                    "with this phone number at %(url)s and set up an authenticator app."
                )
                % {"court": court.name, "url": settings.SITE_URL + reverse("guidance:overview")},
            )
    return link


def remove_liaison(*, by: User, link: CourtLiaison) -> None:
    """Ends the liaison's access: the court scope and the role go together."""
    _require_district(by)
    with transaction.atomic():
        user = link.user
        link.delete()
        remove_role(user, Role.COURT_LIAISON)
