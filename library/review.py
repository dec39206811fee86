"""Editors publish library resources through review.

The course library's review (``courses.review``) also hands teachers page permissions and
e-mails them through Celery, so it is not reused as a whole; the library follows the same
pattern with its own workflow, so the admin's workflow list says which content it covers:

* Wagtail's **Editors** group writes and submits resources (Wagtail's default permissions let
  editors add and change pages, never publish them).
* The library index runs the **library review** workflow: one group-approval task for
  **district staff** (区未保中心) and Wagtail's **Moderators**, who approve or request changes.

``setup_library_review(index)`` applies this; it runs when a library index is created
(``library.signals``) and is idempotent.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

from accounts.roles import Role

WORKFLOW_NAME = "Library review"  # stored in English, shown translated (core.review_names)
TASK_NAME = "Library content review"
# Wagtail's own group of people who may publish any page.
MODERATORS_GROUP = "Moderators"


def setup_library_review(library_index: Page) -> Workflow:
    """Assigns the library review workflow to ``library_index`` (and so to every resource)."""
    district, _created = Group.objects.get_or_create(name=Role.DISTRICT_STAFF.group_name)
    moderators, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(district, moderators)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=library_index, defaults={"workflow": workflow})
    return workflow
