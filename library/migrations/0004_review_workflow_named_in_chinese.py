"""The library review carries its zh-hans name only: 「资源库审核」 (its task 「资源库内容审核」).

They were named in both languages at once ("资源库审核 Library review"), which Wagtail shows as is:
「提交资源库审核 Library review」 on the editor's button. Wagtail shows a workflow's name without
translating it, and the district works in Chinese, so the name is the Chinese one. Names are
copied here, not imported, so this migration keeps meaning what it meant when it was written.
"""

from django.db import migrations

from core.migration_helpers import rename_rows

RENAMES = {
    "wagtailcore.Workflow": [("资源库审核 Library review", "资源库审核")],
    "wagtailcore.Task": [("资源库内容审核 Library content review", "资源库内容审核")],
}

forwards, backwards = rename_rows(RENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_taxonomy_moved_to_its_own_app"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
