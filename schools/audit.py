"""The audit trail: one call per view or change of a case (who, role, when, what)."""

from __future__ import annotations

from accounts.roles import Role, roles_of

from .models import AuditLog, BullyingReport


def role_label(user) -> str:
    """The role under which ``user`` acts on cases, for the audit log and the timeline."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "system" if user is None else "anonymous"
    held = roles_of(user)
    for role in (Role.DISTRICT_STAFF, Role.SCHOOL_OFFICER):
        if role in held:
            return role.value
    if user.is_superuser:
        return "superuser"
    return ",".join(sorted(role.value for role in held)) or "none"


def record(user, action: str, report: BullyingReport | None = None, **detail) -> AuditLog:
    actor = user if getattr(user, "is_authenticated", False) else None
    return AuditLog.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor else "",
        actor_role=role_label(user),
        action=action,
        report=report if report is not None and report.pk else None,
        detail=detail,
    )
