"""Editors publish library resources through the library review workflow."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.translation import gettext

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest

from accounts.roles import Role
from library.models import ResourcePage
from library.review import MODERATORS_GROUP, WORKFLOW_NAME, setup_library_review
from tests.factories.accounts import UserFactory, sign_in_fully


@pytest.fixture
def editor(db):
    return UserFactory(role=Role.EDITOR, name="编辑小陈")


@pytest.fixture
def district_staff(db):
    return UserFactory(role=Role.DISTRICT_STAFF, name="区未保中心")


@pytest.fixture
def moderator(db):
    user = UserFactory(role=Role.EDITOR, name="审核员")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def resource_form(taxonomy, **overrides) -> dict:
    data = nested_form_data(
        {
            "title": "孩子沉迷手机怎么办",
            "slug": "phone-addiction",
            "kind": "article",
            "summary": "和孩子一起定规则。",
            "body": streamfield([]),
            "source": "区未保中心",
            "published_date": "2026-11-01",
            **overrides,
        }
    )
    data["topics"] = [str(taxonomy["online"].pk)]
    return data


def submitted_resource(client, editor, library_index, taxonomy) -> ResourcePage:
    sign_in_fully(client, editor)
    url = reverse("wagtailadmin_pages:add", args=["library", "resourcepage", library_index.pk])
    response = client.post(url, {**resource_form(taxonomy), "action-submit": "1"})
    assert response.status_code == 302, response.content[:500]
    return ResourcePage.objects.get(slug="phone-addiction")


def workflow_action(client, resource, action: str, comment: str = ""):
    task_state = resource.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[resource.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def test_a_new_library_index_runs_the_library_review_workflow(library_index):
    assert library_index.get_workflow().name == gettext(WORKFLOW_NAME)


def test_resources_inherit_the_library_review_workflow(library_index):
    from tests.factories.library import ResourcePageFactory

    assert ResourcePageFactory(parent=library_index).get_workflow().name == gettext(WORKFLOW_NAME)


def test_setting_up_the_review_twice_changes_nothing(library_index):
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage

    setup_library_review(library_index)
    setup_library_review(library_index)
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert WorkflowPage.objects.filter(page=library_index).count() == 1
    [task] = Workflow.objects.get(name=WORKFLOW_NAME).tasks.all()
    groups = set(GroupApprovalTask.objects.get(pk=task.pk).groups.values_list("name", flat=True))
    assert groups == {Role.DISTRICT_STAFF.group_name, MODERATORS_GROUP}


def test_an_editor_may_add_resources_but_not_publish_them(library_index, editor):
    permissions = library_index.permissions_for_user(editor)
    assert permissions.can_add_subpage()
    assert not permissions.can_publish_subpage()


def test_an_editors_submission_goes_into_the_workflow(client, library_index, editor, taxonomy):
    resource = submitted_resource(client, editor, library_index, taxonomy)
    assert not resource.live
    assert resource.owner == editor
    state = resource.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == gettext(WORKFLOW_NAME)


def test_an_editor_cannot_publish_directly(client, library_index, editor, taxonomy):
    sign_in_fully(client, editor)
    url = reverse("wagtailadmin_pages:add", args=["library", "resourcepage", library_index.pk])
    client.post(url, {**resource_form(taxonomy), "action-publish": "1"})
    assert not ResourcePage.objects.get(slug="phone-addiction").live


def test_an_editor_cannot_approve_their_own_submission(client, library_index, editor, taxonomy):
    resource = submitted_resource(client, editor, library_index, taxonomy)
    workflow_action(client, resource, "approve")
    resource.refresh_from_db()
    assert not resource.live


def test_district_staff_approve_and_the_resource_goes_live(client, library_index, editor, district_staff, taxonomy):
    resource = submitted_resource(client, editor, library_index, taxonomy)
    sign_in_fully(client, district_staff)
    workflow_action(client, resource, "approve", "内容准确")
    resource.refresh_from_db()
    assert resource.live
    assert resource.current_workflow_state is None
    assert client.get(resource.url).status_code == 200


def test_a_moderator_may_approve_too(client, library_index, editor, moderator, taxonomy):
    resource = submitted_resource(client, editor, library_index, taxonomy)
    sign_in_fully(client, moderator)
    workflow_action(client, resource, "approve")
    resource.refresh_from_db()
    assert resource.live


def test_district_staff_request_changes_and_the_resource_stays_unpublished(
    client, library_index, editor, district_staff, taxonomy
):
    resource = submitted_resource(client, editor, library_index, taxonomy)
    sign_in_fully(client, district_staff)
    workflow_action(client, resource, "reject", "请补充求助热线")
    resource.refresh_from_db()
    assert not resource.live
    assert resource.workflow_states.get().status == WorkflowState.STATUS_NEEDS_CHANGES
