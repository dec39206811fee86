"""Every page outside the course catalogue goes through a content review someone can approve.

Wagtail's own "Moderators approval" workflow sits on the root page, but its "Moderators" group
has no members here, so news and home sections sent for moderation could never be published.
This puts a **content review** workflow on the root page instead: one peer review task
(``home.PeerReviewTask``: approved by editors or district staff, never by the person who
submitted the page). The course catalogue keeps its own course review (``courses.review``).
Wagtail's old workflow is switched off unless a page is still waiting in it. Names are copied
here, not imported, so this migration keeps meaning what it meant when it was written.
"""

from django.db import migrations

WORKFLOW_NAME = "内容审核"
TASK_NAME = "编辑或区未保中心审核"
REVIEWER_GROUPS = ["Editors", "District staff"]
OLD_WORKFLOW_NAME = "Moderators approval"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    PeerReviewTask = apps.get_model("home", "PeerReviewTask")

    task_type, _ = ContentType.objects.get_or_create(app_label="home", model="peerreviewtask")
    task = PeerReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = PeerReviewTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    for name in REVIEWER_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        task.groups.add(group)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    for old in Workflow.objects.filter(name=OLD_WORKFLOW_NAME, active=True):
        attached = WorkflowPage.objects.filter(workflow=old).exists()
        waiting = WorkflowState.objects.filter(workflow=old, status="in_progress").exists()
        if not attached and not waiting:
            old.active = False
            old.save(update_fields=["active"])


def backwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    old = Workflow.objects.filter(name=OLD_WORKFLOW_NAME).first()
    root = Page.objects.filter(depth=1).order_by("path").first()
    if old is not None and root is not None:
        old.active = True
        old.save(update_fields=["active"])
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": old})


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0007_peer_review_task"),
        ("accounts", "0002_create_role_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
