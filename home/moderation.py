"""Content review: how an approved page gets published.

Pages outside the course catalogue run the **content review** workflow (home migration 0007):
one ``home.PeerReviewTask`` whose reviewers are editors and district staff, never the person who
submitted the page. Editors hold Wagtail's "add" and "change" page permissions but not
"publish", so that no editor publishes alone; the workflow's approval is the permission. Wagtail's
default finishing step publishes the revision *as the last approver* and checks that person's
publish permission, which would make an editor's approval end in "permission denied" with the
page left unpublished. ``publish_approved`` (``WAGTAIL_FINISH_WORKFLOW_ACTION``) publishes the
approved revision on the strength of the approval itself; Wagtail calls it only when every task
of the workflow has been approved by someone the task allowed to approve it. An approved course
publishes its lessons and quizzes with it (``courses.review.publish_course_unit``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Wagtail imports this module while it defines WorkflowState
    from wagtail.models import WorkflowState


def publish_approved(workflow_state: WorkflowState, user=None) -> None:
    """Publishes the approved page; an approved course publishes its lessons and quizzes with it."""
    from courses.models import CoursePage
    from courses.review import publish_course_unit

    page = workflow_state.content_object
    revision = page.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
    if isinstance(page, CoursePage) or getattr(page, "specific_class", None) is CoursePage:
        publish_course_unit(page.specific, user=user)
