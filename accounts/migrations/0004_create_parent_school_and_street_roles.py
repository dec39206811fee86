"""Creates the groups of the parent-school and street workstation roles (issue 13): head
teachers (班主任), child directors (儿童主任) and child supervisors (儿童督导员).

None of them works in the Wagtail admin; names are copied here, not imported from accounts.roles.
"""

from django.db import migrations

NEW_GROUPS = ["Head teachers", "Child directors", "Child supervisors"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in NEW_GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=NEW_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_district_staff_page_permissions")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
