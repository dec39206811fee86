"""The library review carries its zh-hans name only: 「资源库审核」 (its task 「资源库内容审核」).

They were named in both languages at once ("资源库审核 Library review"), which Wagtail shows as is:
「提交资源库审核 Library review」 on the editor's button. Wagtail shows a workflow's name without
translating it, and the district works in Chinese, so the name is the Chinese one. Names are
copied here, not imported, so this migration keeps meaning what it meant when it was written.
"""

from django.db import migrations

RENAMES = {
    "wagtailcore.Workflow": [("资源库审核 Library review", "资源库审核")],
    "wagtailcore.Task": [("资源库内容审核 Library content review", "资源库内容审核")],
}


def _rename(apps, forwards):
    for label, pairs in RENAMES.items():
        model = apps.get_model(label)
        for old, new in pairs:
            before, after = (old, new) if forwards else (new, old)
            if not model.objects.filter(name=after).exists():
                model.objects.filter(name=before).update(name=after)


def forwards(apps, schema_editor):
    _rename(apps, forwards=True)


def backwards(apps, schema_editor):
    _rename(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_taxonomy_moved_to_its_own_app"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
