from . import roles as role_rules


def roles(request):
    """Exposes the user's roles to templates, which must not inspect groups themselves."""
    user = getattr(request, "user", None)
    return {
        "user_roles": role_rules.roles_of(user),
        "user_can_access_admin": role_rules.can_access_admin(user),
    }
