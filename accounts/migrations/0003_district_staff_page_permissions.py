"""Lets district staff review and publish content anywhere in the page tree.

The district centre checks what teachers and editors write before the public sees it, so
its staff get Wagtail's moderator page permissions (add, change, publish) on the root page,
which the whole tree inherits. Names are copied here, not imported, so this migration
keeps meaning what it meant when it was written.
"""

from django.db import migrations

GROUP_NAME = "District staff"
PAGE_PERMISSIONS = {"add_page": "Can add page", "change_page": "Can change page", "publish_page": "Can publish any page"}


def page_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    return [
        Permission.objects.get_or_create(content_type=page_type, codename=codename, defaults={"name": name})[0]
        for codename, name in PAGE_PERMISSIONS.items()
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    for permission in page_permissions(apps):
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def revoke(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name=GROUP_NAME, page__depth=1, permission__codename__in=list(PAGE_PERMISSIONS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_create_role_groups"),
        ("wagtailcore", "0090_remove_grouppagepermission_permission_type"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
