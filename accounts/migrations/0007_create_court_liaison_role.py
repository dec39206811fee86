"""Creates the group of court liaisons (法院联络员, issue 14): they follow their court's orders,
read-only. They do not work in the Wagtail admin; the name is copied here, not imported."""

from django.db import migrations

from core.migration_helpers import create_groups

NEW_GROUPS = ["Court liaisons"]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_create_guidance_worker_role")]

    operations = [migrations.RunPython(*create_groups(NEW_GROUPS))]
