"""Replace Wagtail's "Welcome" page with an empty HomePage as the default site's root.

A fresh ``migrate`` alone therefore serves a working (if empty) home page; the content is
filled in by ``manage.py load_demo_content`` or by editors.
"""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")

    if HomePage.objects.exists():
        return
    page_content_type, __ = ContentType.objects.get_or_create(model="page", app_label="wagtailcore")
    welcome = Page.objects.filter(content_type=page_content_type, depth=2, path="00010001", numchild=0)
    if Page.objects.filter(depth=2).exclude(pk__in=welcome.values("pk")).exists():
        return  # the tree already holds someone's own pages: leave it alone
    welcome.delete()  # its Site goes with it (CASCADE)

    homepage_content_type, __ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    locale = Locale.objects.order_by("pk").first()
    if locale is None:
        locale = Locale.objects.create(language_code="zh-hans")
    homepage = HomePage.objects.create(
        title="汇爱",
        draft_title="汇爱",
        slug="home",
        content_type=homepage_content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        body=[],
    )
    Page.objects.filter(depth=1).update(numchild=1)
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost", port=80, site_name="汇爱 Huiai", root_page=homepage, is_default_site=True
        )


def remove_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("home.HomePage")
    HomePage.objects.filter(slug="home", depth=2).delete()
    ContentType.objects.filter(model="homepage", app_label="home").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [
        migrations.RunPython(create_homepage, remove_homepage),
    ]
