"""District staff and editors run the alliance: they edit members and see and export registrations.

Registrations are never added in the admin (only through an event page), so no add permission;
"change" lets them cancel a seat.
"""

from django.db import migrations

GROUPS = ["District staff", "Editors"]
GRANTS = {
    "alliancemember": ["add", "change", "delete", "view"],
    "eventregistration": ["change", "view"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    permissions = []
    for model, actions in GRANTS.items():
        content_type, _created = ContentType.objects.get_or_create(app_label="schools", model=model)
        for action in actions:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            permissions.append(permission)
    for name in GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in GRANTS.items() for action in actions]
    permissions = Permission.objects.filter(content_type__app_label="schools", codename__in=codenames)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0004_alliance"),
        ("accounts", "0002_create_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
