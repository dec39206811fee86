"""Creates the group of court liaisons (法院联络员, issue 14): they follow their court's orders,
read-only. They do not work in the Wagtail admin; the name is copied here, not imported."""

from django.db import migrations

NEW_GROUPS = ["Court liaisons"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in NEW_GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=NEW_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_create_guidance_worker_role")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
