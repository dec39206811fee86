from core import elder_mode

from . import roles as role_rules


def roles(request):
    """Exposes the user's roles to templates, which must not inspect groups themselves."""
    user = getattr(request, "user", None)
    return {
        "user_roles": role_rules.roles_of(user),
        "user_can_access_admin": role_rules.can_access_admin(user),
    }


def display(request):
    """Whether pages render in elder mode: the account's choice when signed in, else the browser's."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"elder_mode": bool(getattr(user, "elder_mode", False))}
    return {"elder_mode": elder_mode.requested_by_browser(request)}
