"""Every page type goes through a review someone in the demo can approve (home migration 0007)."""

from __future__ import annotations

from django.urls import reverse

from wagtail.models import Page, Workflow, WorkflowState, get_page_models

import pytest

from accounts.roles import Role
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.alliance import (
    AllianceEventPageFactory,
    AllianceIndexPageFactory,
    AllianceNewsPageFactory,
    TeachingResourcePageFactory,
)
from tests.factories.courses import CoursePageFactory, LessonPageFactory, QuizPageFactory
from tests.factories.courses import catalogue as make_catalogue
from tests.factories.demo import load_demo
from tests.factories.home import StandardPageFactory
from tests.factories.library import LibraryIndexPageFactory, ResourcePageFactory

CONTENT_REVIEW = "内容审核"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_wagtails_memberless_moderators_workflow_no_longer_guards_the_site(home_page):
    root = Page.get_first_root_node()
    assert root.get_workflow().name == CONTENT_REVIEW
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()


def test_every_page_type_in_the_demo_has_a_workflow_whose_reviewers_exist(home_page):
    load_demo("--skip-index", "--with-demo-users")
    for model in get_page_models():
        if model is Page:
            continue
        page = model.objects.first()
        assert page is not None, f"the demo has no {model.__name__}"
        workflow = page.get_workflow()
        assert workflow is not None and workflow.active, model.__name__
        for task in workflow.tasks.specific():
            reviewers = [user for group in task.groups.all() for user in group.user_set.filter(is_active=True)]
            assert len({user.pk for user in reviewers}) >= 2, (model.__name__, task.name)


def _pages(home_page):
    """One new page of every type, with who writes it and who reviews it."""
    catalogue = make_catalogue()
    teacher = UserFactory(role=Role.TEACHER)
    course = CoursePageFactory(parent=catalogue, owner=teacher, teacher=teacher)
    alliance = AllianceIndexPageFactory(parent=home_page)
    library = LibraryIndexPageFactory(parent=home_page)
    from workstations.models import WorkstationIndexPage

    workstations = home_page.add_child(instance=WorkstationIndexPage(title="工作站", slug="stations-under-test"))
    return [
        (home_page, None),
        (StandardPageFactory(parent=home_page), None),
        (catalogue, None),
        (course, teacher),
        (LessonPageFactory(parent=course, owner=teacher), teacher),
        (QuizPageFactory(parent=course, owner=teacher), teacher),
        (library, None),
        (ResourcePageFactory(parent=library), None),
        (alliance, None),
        (AllianceNewsPageFactory(parent=alliance), None),
        (AllianceEventPageFactory(parent=alliance), None),
        (TeachingResourcePageFactory(parent=alliance), None),
        (workstations, None),
    ]


def test_each_page_type_can_be_submitted_and_approved_by_its_reviewer(client, home_page):
    editor = UserFactory(role=Role.EDITOR, name="写稿的编辑")
    other_editor = UserFactory(role=Role.EDITOR, name="审稿的编辑")
    staff = UserFactory(role=Role.DISTRICT_STAFF)
    pages = _pages(home_page)
    covered = {type(page.specific) for page, _author in pages}
    assert covered == set(get_page_models()) - {Page}
    for page, author in pages:
        page = page.specific
        submitter = author or editor
        page.title = f"{page.title}（修订）"
        revision = page.save_revision(user=submitter)
        workflow = page.get_workflow()
        workflow.start(page, submitter)
        state = page.current_workflow_state
        reviewer = staff if workflow.name != CONTENT_REVIEW else other_editor
        sign_in_fully(client, reviewer)
        response = client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk]),
            {"comment": ""},
        )
        assert response.status_code in (200, 302), (type(page).__name__, response.status_code)
        state.refresh_from_db()
        assert state.status == WorkflowState.STATUS_APPROVED, type(page).__name__
        page.refresh_from_db()
        assert page.live and page.live_revision_id == revision.pk, type(page).__name__
        client.logout()


def test_an_editor_cannot_approve_a_page_they_submitted(client, home_page):
    editor = UserFactory(role=Role.EDITOR)
    page = StandardPageFactory(parent=home_page, live=False)
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    state = page.current_workflow_state
    sign_in_fully(client, editor)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk]),
        {"comment": ""},
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert not page.live
    task = state.current_task_state.task.specific
    assert task.get_actions(page, editor) == []
    assert not task.get_task_states_user_can_moderate(editor).exists()
    assert task.get_task_states_user_can_moderate(UserFactory(role=Role.EDITOR)).exists()
