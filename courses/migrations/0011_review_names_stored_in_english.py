"""The course review is stored under its English name and shown translated (core.review_names).

Stored in Chinese (0010), Wagtail showed 「课程审核」 in English mode too. Names are copied here,
not imported, so this migration keeps meaning what it meant when it was written.
"""

from django.db import migrations

from core.migration_helpers import rename_rows

RENAMES = {
    "wagtailcore.Workflow": [("课程审核", "Course review")],
    "wagtailcore.Task": [("区未保中心审核", "District review")],
}

forwards, backwards = rename_rows(RENAMES)


class Migration(migrations.Migration):
    dependencies = [("courses", "0010_review_workflow_named_in_chinese")]

    operations = [migrations.RunPython(forwards, backwards)]
