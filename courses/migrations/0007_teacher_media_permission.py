"""Lets teachers upload and choose lesson video and audio (wagtailmedia) in the root collection,
as they already may images and documents (``courses.review.TEACHER_COLLECTION_PERMISSIONS``).

A site whose catalogue was set up before lessons used wagtailmedia gets the grant here; a new
catalogue gets it from ``setup_course_review``. Names are copied, not imported.
"""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    teachers = Group.objects.filter(name="Teachers").first()
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if teachers is None or root is None:
        return
    media_type, _ = ContentType.objects.get_or_create(app_label="wagtailmedia", model="media")
    add_media, _ = Permission.objects.get_or_create(
        content_type=media_type, codename="add_media", defaults={"name": "Can add media"}
    )
    GroupCollectionPermission.objects.get_or_create(group=teachers, collection=root, permission=add_media)


def revoke(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(
        group__name="Teachers", permission__content_type__app_label="wagtailmedia", permission__codename="add_media"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_media_block_wagtailmedia"),
        ("accounts", "0002_create_role_groups"),
        ("wagtailmedia", "0005_alter_media_options"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
