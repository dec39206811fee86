"""Sign-in side effects that belong to the account, whatever path signed it in.

Wagtail keeps a ``UserProfile`` row (language, time zone, theme, avatar) for every person who
uses its admin, and creates it lazily with ``UserProfile.get_for_user`` — the first time a page
renders the user bar or the admin for them. That made the *first* page a member of staff opened
write to the database, even a page that refused them (a rendered 404), so "a refused request
writes nothing" held only from the second request on. The profile is made here instead, once,
when someone who may use the admin signs in: every later page only reads it.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from wagtail.users.models import UserProfile


@receiver(user_logged_in, dispatch_uid="huiai_admin_profile_at_sign_in")
def create_admin_profile(sender, request, user, **kwargs) -> None:
    """Staff who may use the Wagtail admin get their profile row at sign-in; parents never do."""
    if user.has_perm("wagtailadmin.access_admin"):
        UserProfile.get_for_user(user)
