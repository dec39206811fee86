"""The content review is stored under its English name and shown translated (core.review_names).

Stored in Chinese, Wagtail showed 「内容审核」 in English mode too. Names are copied here, not
imported, so this migration keeps meaning what it meant when it was written.
"""

from django.db import migrations

from core.migration_helpers import rename_rows

RENAMES = {
    "wagtailcore.Workflow": [("内容审核", "Content review")],
    "wagtailcore.Task": [("编辑或区未保中心审核", "Editor or district review")],
}

forwards, backwards = rename_rows(RENAMES)


class Migration(migrations.Migration):
    dependencies = [("home", "0008_content_review_workflow")]

    operations = [migrations.RunPython(forwards, backwards)]
