"""Signal receivers: review set-up for a new catalogue, review decisions e-mailed via Celery.

Wagtail e-mails the submitter of an approved or rejected page synchronously. For course and
lesson pages the course library sends its own message through Celery instead
(``courses.review.notify_teacher``); every other page keeps Wagtail's notifier unchanged.
"""

from __future__ import annotations

from django.db.models.signals import post_save

from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected

WAGTAIL_APPROVED_UID = "workflow_state_approved_email_notification"
WAGTAIL_REJECTED_UID = "workflow_state_rejected_email_notification"


def catalogue_created(sender, instance, created, raw=False, **kwargs):
    from courses.review import setup_course_review

    if created and not raw:
        setup_course_review(instance)


def media_item_saved(sender, instance, raw=False, **kwargs):
    """A lesson that takes its running time from a media item follows the item's new duration.

    The lessons that use the item are found through Wagtail's reference index; only those whose
    stored running time changes are written (the column progress and the filters read).
    """
    if raw:
        return
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page, ReferenceIndex

    from courses.models import LessonPage

    page_ids = (
        ReferenceIndex.get_references_to(instance)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    for lesson in LessonPage.objects.filter(pk__in=[int(page_id) for page_id in page_ids]):
        duration = lesson.player_running_time()
        if duration != lesson.media_duration_seconds:
            LessonPage.objects.filter(pk=lesson.pk).update(media_duration_seconds=duration)


def is_course_content(workflow_state: WorkflowState) -> bool:
    from courses.models import CoursePage, LessonPage

    page = workflow_state.content_object
    return isinstance(getattr(page, "specific", page), CoursePage | LessonPage)


def review_approved(sender, instance, user=None, **kwargs):
    from wagtail.admin.signal_handlers import workflow_approval_email_notifier

    from courses.review import notify_teacher

    if is_course_content(instance):
        notify_teacher(instance, approved=True)
    else:
        workflow_approval_email_notifier(sender=sender, instance=instance, user=user, **kwargs)


def review_rejected(sender, instance, user=None, **kwargs):
    from wagtail.admin.signal_handlers import workflow_rejection_email_notifier

    from courses.review import notify_teacher

    if is_course_content(instance):
        notify_teacher(instance, approved=False)
    else:
        workflow_rejection_email_notifier(sender=sender, instance=instance, user=user, **kwargs)


def connect() -> None:
    """Called from ``CoursesConfig.ready``.

    Our receivers take the ``dispatch_uid`` Wagtail uses for its notifiers: whichever app is
    ready first, only one receiver stays connected per signal (Django skips a second
    ``connect`` with the same uid, and ``disconnect`` removes Wagtail's if it came first).
    """
    from wagtailmedia import get_media_model

    from courses.models import CourseIndexPage

    post_save.connect(catalogue_created, sender=CourseIndexPage, dispatch_uid="courses_catalogue_created")
    post_save.connect(media_item_saved, sender=get_media_model(), dispatch_uid="courses_media_item_saved")
    workflow_approved.disconnect(sender=WorkflowState, dispatch_uid=WAGTAIL_APPROVED_UID)
    workflow_rejected.disconnect(sender=WorkflowState, dispatch_uid=WAGTAIL_REJECTED_UID)
    workflow_approved.connect(review_approved, sender=WorkflowState, dispatch_uid=WAGTAIL_APPROVED_UID)
    workflow_rejected.connect(review_rejected, sender=WorkflowState, dispatch_uid=WAGTAIL_REJECTED_UID)
