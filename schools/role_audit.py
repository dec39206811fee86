"""Every change to who holds a staff role is written to the audit log, whatever made it.

Roles are Django groups (``accounts.roles``). They change through the invitation service, the
Wagtail admin (user create/edit, the "assign role" bulk action, group editing), or a shell.
Rather than trusting each path to remember, receivers on the group and permission relations
record each grant and removal, with the acting user of the request (``core.actor``; none in
a shell or worker). Parents are left out: every sign-up adds that role, and it opens nothing.
Becoming or ceasing to be a superuser, and deleting a staff account or a role, are recorded too.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from accounts.roles import Role
from core.actor import current_actor

UNAUDITED_GROUPS = frozenset({Role.PARENT.group_name})


def _record(action, **detail) -> None:
    from . import audit

    audit.record(current_actor(), action, None, **detail)


def _audited_names(group_ids) -> list[str]:
    names = Group.objects.filter(pk__in=group_ids).values_list("name", flat=True)
    return sorted(name for name in names if name not in UNAUDITED_GROUPS)


def user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    from .models import AuditLog

    if action == "pre_clear":
        # Remember what ``clear()`` is about to remove; ``post_clear`` has no pk_set.
        if reverse:
            instance._huiai_cleared = list(instance.user_set.values_list("pk", flat=True))
        else:
            instance._huiai_cleared = list(instance.groups.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    kind = AuditLog.Action.ROLE_GRANT if action == "post_add" else AuditLog.Action.ROLE_REVOKE
    ids = pk_set if action != "post_clear" else getattr(instance, "_huiai_cleared", [])
    if not ids:
        return
    if reverse:  # group.user_set.add(users…): one group, many users
        if instance.name in UNAUDITED_GROUPS:
            return
        for user_pk in sorted(ids):
            _record(kind, person=user_pk, roles=[instance.name])
    else:  # user.groups.add(groups…)
        names = _audited_names(ids)
        if names:
            _record(kind, person=instance.pk, roles=names)


def permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """What a role (group) or a person may do, changed: recorded with the permission codenames."""
    from .models import AuditLog

    if action not in ("post_add", "post_remove") or not pk_set:
        return
    kind = AuditLog.Action.ROLE_GRANT if action == "post_add" else AuditLog.Action.ROLE_REVOKE
    if reverse:  # permission.group_set/user_set.add(…)
        codename = f"{instance.content_type.app_label}.{instance.codename}"
        for pk in sorted(pk_set):
            target = {"group": pk} if model is Group else {"person": pk}
            _record(kind, permissions=[codename], **target)
        return
    codenames = sorted(
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(pk__in=pk_set).values_list("content_type__app_label", "codename")
    )
    target = {"group": instance.name} if isinstance(instance, Group) else {"person": instance.pk}
    _record(kind, permissions=codenames, **target)


def superuser_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    from .models import AuditLog

    if raw or instance.pk is None or (update_fields is not None and "is_superuser" not in update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True).first()
    if before is not None and before != instance.is_superuser:
        kind = AuditLog.Action.ROLE_GRANT if instance.is_superuser else AuditLog.Action.ROLE_REVOKE
        _record(kind, person=instance.pk, roles=["superuser"])


def superuser_created(sender, instance, created=False, raw=False, **kwargs) -> None:
    from .models import AuditLog

    if created and not raw and instance.is_superuser:
        _record(AuditLog.Action.ROLE_GRANT, person=instance.pk, roles=["superuser"])


def user_deleted(sender, instance, **kwargs) -> None:
    """Deleting an account drops its roles and memberships without an m2m signal: record them."""
    from .models import AuditLog, SchoolMembership

    names = sorted(name for name in instance.groups.values_list("name", flat=True) if name not in UNAUDITED_GROUPS)
    schools = list(SchoolMembership.objects.filter(user=instance).values_list("school_id", flat=True))
    if names or schools or instance.is_superuser:
        roles = names + (["superuser"] if instance.is_superuser else [])
        _record(AuditLog.Action.ROLE_REVOKE, person=instance.pk, roles=roles, schools=schools, account_deleted=True)


def group_deleted(sender, instance, **kwargs) -> None:
    from .models import AuditLog

    if instance.name not in UNAUDITED_GROUPS:
        members = sorted(instance.user_set.values_list("pk", flat=True))
        _record(AuditLog.Action.ROLE_REVOKE, group=instance.name, persons=members, group_deleted=True)


def connect() -> None:
    User = get_user_model()  # noqa: N806
    m2m_changed.connect(user_groups_changed, sender=User.groups.through, dispatch_uid="huiai_role_audit_groups")
    m2m_changed.connect(
        permissions_changed, sender=Group.permissions.through, dispatch_uid="huiai_role_audit_group_perms"
    )
    m2m_changed.connect(
        permissions_changed, sender=User.user_permissions.through, dispatch_uid="huiai_role_audit_user_perms"
    )
    pre_save.connect(superuser_changed, sender=User, dispatch_uid="huiai_role_audit_superuser")
    post_save.connect(superuser_created, sender=User, dispatch_uid="huiai_role_audit_new_superuser")
    pre_delete.connect(user_deleted, sender=User, dispatch_uid="huiai_role_audit_user_deleted")
    pre_delete.connect(group_deleted, sender=Group, dispatch_uid="huiai_role_audit_group_deleted")
