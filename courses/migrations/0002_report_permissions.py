"""Lets teachers and district staff see enrolments and assign courses in the admin, and lets
district staff edit the shared taxonomy (topics and age groups).

Teachers see only their own courses' enrolments (``courses.wagtail_hooks``), and may assign
only their own courses (``courses.services.can_assign``). Names are copied here, not
imported, so this migration keeps meaning what it meant when it was written.
"""

from django.db import migrations

GRANTS = {
    "Teachers": ["view_enrolment", "view_assignment", "add_assignment"],
    "District staff": [
        "view_enrolment",
        "view_assignment",
        "add_assignment",
        *(f"{action}_{model}" for model in ("topic", "agegroup") for action in ("add", "change", "delete", "view")),
    ],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("courses")
    app_config.models_module = True  # state apps have none; create_permissions needs one
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="courses", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=list(GRANTS)):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="courses", codename__in=GRANTS[group.name])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("accounts", "0002_create_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
