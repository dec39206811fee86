"""The course review carries its zh-hans name only: 「课程审核」 (its task 「区未保中心审核」).

They were named in both languages at once ("课程审核 Course review"), which Wagtail shows as is:
「提交课程审核 Course review」 on the teacher's button. Wagtail shows a workflow's name without
translating it, and the district works in Chinese, so the name is the Chinese one. Names are
copied here, not imported, so this migration keeps meaning what it meant when it was written.
"""

from django.db import migrations

from core.migration_helpers import rename_rows

RENAMES = {
    "wagtailcore.Workflow": [("课程审核 Course review", "课程审核")],
    "wagtailcore.Task": [("区未保中心审核 District review", "区未保中心审核")],
}

forwards, backwards = rename_rows(RENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0009_certificate_minutes_and_issuer"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
