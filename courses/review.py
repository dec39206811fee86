"""Teachers publish through review: who may write which course, and who approves it.

The rules, in one place:

* A **teacher** gets Wagtail's "add" page permission on the course catalogue. Wagtail lets
  "add" create pages and edit the pages one *owns*, never publish them, so a teacher writes
  their own courses and lessons and can only submit them for moderation.
* A teacher may add lessons only under a course they own (``before_create_page`` in
  ``courses.wagtail_hooks`` refuses the rest), so nobody edits another teacher's work.
* The catalogue runs the **course review** workflow: one group-approval task for district
  staff (区未保中心), who approve or request changes with a comment.
* A course is reviewed **as one unit**: the teacher saves the lessons and quizzes as drafts and
  submits the course once; when the reviewer approves the course, ``publish_course_unit``
  publishes the latest draft of every lesson and quiz below it in the same step (one
  submission, one approval, one e-mail). Each page still gets its own revision and its own
  "published" entry in its history. A lesson sent for review on its own stays in its own
  review and is left alone.
* Either way the teacher is told by e-mail, sent by Celery (``accounts.tasks.send_email_task``
  through ``enqueue``, which falls back to sending in-process when the broker is down).

``setup_course_review(catalogue)`` applies all of this; it runs when a catalogue page is
created (``courses.signals``) and is idempotent.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from accounts.roles import Role, has_role

WORKFLOW_NAME = "Course review"  # stored in English, shown translated (core.review_names)
TASK_NAME = "District review"
# Teachers upload cover images, lesson illustrations, handouts and lesson video and audio
# (wagtailmedia: "add" also lets them choose items and edit the ones they uploaded).
TEACHER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "choose_document"),
    ("wagtailmedia", "media", "add_media"),
]


def _permission(app_label: str, model: str, codename: str) -> Permission:
    content_type = ContentType.objects.get_by_natural_key(app_label, model)
    return Permission.objects.get(content_type=content_type, codename=codename)


def setup_course_review(catalogue: Page) -> Workflow:
    teachers, _created = Group.objects.get_or_create(name=Role.TEACHER.group_name)
    district, _created = Group.objects.get_or_create(name=Role.DISTRICT_STAFF.group_name)
    GroupPagePermission.objects.get_or_create(
        group=teachers, page=catalogue, permission=_permission("wagtailcore", "page", "add_page")
    )
    root_collection = Collection.get_first_root_node()
    for app_label, model, codename in TEACHER_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=teachers, collection=root_collection, permission=_permission(app_label, model, codename)
        )
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(district)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    return workflow


def may_add_below(user, parent_page: Page) -> bool:
    """A teacher adds lessons only to their own courses; staff, editors and superusers anywhere."""
    from courses.models import CoursePage

    if user.is_superuser or has_role(user, Role.DISTRICT_STAFF, Role.EDITOR):
        return True
    if not has_role(user, Role.TEACHER):
        return True  # Wagtail's own page permissions decide
    parent = parent_page.specific
    return not isinstance(parent, CoursePage) or parent.owner_id == user.pk


def notify_teacher(workflow_state: WorkflowState, approved: bool) -> bool:
    """E-mails the person who submitted a course or lesson the reviewer's decision, via Celery."""
    from accounts.tasks import enqueue, send_email_task

    submitter = workflow_state.requested_by
    if submitter is None or not submitter.email:
        return False
    page = workflow_state.content_object
    comment = ""
    task_state = workflow_state.task_states.order_by("-finished_at", "-pk").first()
    if task_state is not None:
        comment = task_state.comment
    with translation.override("zh-hans"):
        edit_url = settings.WAGTAILADMIN_BASE_URL + reverse("wagtailadmin_pages:edit", args=[page.pk])
        context = {"page": page, "approved": approved, "comment": comment, "teacher": submitter, "edit_url": edit_url}
        subject = (
            _("Approved: %(title)s") % {"title": page.title}
            if approved
            else _("Changes requested: %(title)s") % {"title": page.title}
        )
        body = render_to_string("courses/email/review_decision.txt", context)
    enqueue(send_email_task, subject, body, [submitter.email])
    return True


def publish_course_unit(course: Page, *, user) -> list[Page]:
    """Publishes the unpublished drafts of the lessons and quizzes of an approved ``course``.

    Called when the course's own review is approved (``home.moderation.publish_approved``), so
    the approval is the permission: the reviewer approved the course as one unit. Pages below the
    course with a review of their own still in progress are not touched. Returns what was published.
    """
    from wagtail.models import WorkflowState

    below = Page.objects.child_of(course).filter(has_unpublished_changes=True).specific().order_by("path")
    pages = list(below)
    waiting = set(
        WorkflowState.objects.active()
        .filter(base_content_type=course.get_base_content_type(), object_id__in=[str(page.pk) for page in pages])
        .values_list("object_id", flat=True)
    )
    published = []
    for page in pages:
        revision = page.get_latest_revision()
        if revision is None or str(page.pk) in waiting:
            continue
        revision.publish(user=user, skip_permission_checks=True)
        published.append(page)
    return published
