"""Creates the group of guidance-station staff (指导站工作人员, issue 14).

Guidance workers do not work in the Wagtail admin; the name is copied here, not imported from
accounts.roles.
"""

from django.db import migrations

NEW_GROUPS = ["Guidance workers"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in NEW_GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=NEW_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_user_elder_mode")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
