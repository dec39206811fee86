"""The library review is stored under its English name and shown translated (core.review_names).

Stored in Chinese (0004), Wagtail showed 「资源库审核」 in English mode too. Names are copied here,
not imported, so this migration keeps meaning what it meant when it was written.
"""

from django.db import migrations

from core.migration_helpers import rename_rows

RENAMES = {
    "wagtailcore.Workflow": [("资源库审核", "Library review")],
    "wagtailcore.Task": [("资源库内容审核", "Library content review")],
}

forwards, backwards = rename_rows(RENAMES)


class Migration(migrations.Migration):
    dependencies = [("library", "0004_review_workflow_named_in_chinese")]

    operations = [migrations.RunPython(forwards, backwards)]
