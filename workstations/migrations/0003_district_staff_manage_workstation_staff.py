"""District staff create which people staff each street workstation (child directors and supervisors)."""

from django.db import migrations

GRANTS = {"workstationmembership": ["add", "change", "delete", "view"]}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _created = Group.objects.get_or_create(name="District staff")
    for model, actions in GRANTS.items():
        content_type, _created = ContentType.objects.get_or_create(app_label="workstations", model=model)
        for action in actions:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="District staff").first()
    if group is not None:
        codenames = [f"{action}_{model}" for model, actions in GRANTS.items() for action in actions]
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="workstations", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workstations", "0002_workstationmembership"),
        ("accounts", "0004_create_parent_school_and_street_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
