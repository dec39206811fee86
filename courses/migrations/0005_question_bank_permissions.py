"""Lets teachers and district staff write the question bank (drafts, revisions, publishing), see
quiz attempts, and lets district staff decide name corrections on certificates.

Names are copied here, not imported, so this migration keeps meaning what it meant when it
was written.
"""

from django.db import migrations

QUESTION = [f"{action}_question" for action in ("add", "change", "delete", "view", "publish")]
GRANTS = {
    "Teachers": [*QUESTION, "view_quizattempt"],
    "District staff": [
        *QUESTION,
        "view_quizattempt",
        "view_certificate",
        "view_namecorrection",
        "change_namecorrection",
    ],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("courses")
    app_config.models_module = True  # state apps have none; create_permissions needs one
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    question_type, _ = ContentType.objects.get_or_create(app_label="courses", model="question")
    # Wagtail adds the publish permission of snippets with DraftStateMixin after migrate; make it now.
    Permission.objects.get_or_create(
        content_type=question_type, codename="publish_question", defaults={"name": "Can publish question"}
    )
    for group_name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="courses", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=list(GRANTS)):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="courses", codename__in=GRANTS[group.name])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_quizzes_and_certificates"),
        ("accounts", "0002_create_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
