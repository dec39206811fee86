from core import elder_mode

from . import roles as role_rules
from .saved_lessons import storage_key


def roles(request):
    """Exposes the user's roles to templates, which must not inspect groups themselves."""
    user = getattr(request, "user", None)
    held = role_rules.roles_of(user)
    return {
        "user_roles": held,
        "user_can_access_admin": role_rules.can_access_admin(user),
        # Parents get 「我的预约」 in the account menu of every page.
        "user_is_parent": role_rules.Role.PARENT in held,
    }


def display(request):
    """The account's saved-lessons storage key, and whether pages render in elder mode: when
    this browser or the signed-in account asks for it.

    Either one is enough, so a grandparent who turned it on before signing in keeps it after,
    and one who turned it on from another phone gets it here; turning it off clears both
    (accounts.views.set_elder_mode).
    """
    user = getattr(request, "user", None)
    # Whose saved lessons this browser may show offline (accounts/saved_lessons.py).
    key = storage_key(user)
    if elder_mode.requested_by_browser(request):
        return {"elder_mode": True, "saved_lessons_key": key}
    return {
        "elder_mode": bool(user is not None and user.is_authenticated and getattr(user, "elder_mode", False)),
        "saved_lessons_key": key,
    }
