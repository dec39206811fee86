"""Creates the group of guidance-station staff (指导站工作人员, issue 14).

Guidance workers do not work in the Wagtail admin; the name is copied here, not imported from
accounts.roles.
"""

from django.db import migrations

from core.migration_helpers import create_groups

NEW_GROUPS = ["Guidance workers"]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_user_elder_mode")]

    operations = [migrations.RunPython(*create_groups(NEW_GROUPS))]
