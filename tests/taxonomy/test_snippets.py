"""The shared taxonomy: topics and age groups are snippets that district staff edit."""

from __future__ import annotations

from django.urls import reverse

from wagtail.snippets.models import get_snippet_models

import pytest

from accounts.models import User
from taxonomy.models import AgeGroup, Topic
from tests.factories.accounts import sign_in_fully
from tests.factories.taxonomy import AgeGroupFactory, TopicFactory


def test_topics_and_age_groups_are_registered_as_snippets():
    assert {Topic, AgeGroup} <= set(get_snippet_models())


def test_the_admin_menu_groups_topics_then_age_groups_under_course_taxonomy():
    from django.utils.translation import gettext as _

    from wagtail.admin.menu import admin_menu

    (group,) = [item for item in admin_menu.registered_menu_items if item.name == "course-taxonomy"]
    assert str(group.label) == _("Course taxonomy")
    items = sorted(group.menu.registered_menu_items, key=lambda item: item.order)
    assert [(str(item.label), item.url) for item in items] == [
        (_("Topics"), reverse("wagtailsnippets_taxonomy_topic:list")),
        (_("Age groups"), reverse("wagtailsnippets_taxonomy_agegroup:list")),
    ]


@pytest.mark.django_db
def test_topics_are_ordered_by_sort_order_then_name():
    TopicFactory(name="情绪管理", sort_order=2)
    TopicFactory(name="亲子沟通", sort_order=1)
    assert [topic.name for topic in Topic.objects.all()] == ["亲子沟通", "情绪管理"]


@pytest.mark.django_db
def test_age_groups_are_ordered_by_sort_order_then_youngest_age():
    AgeGroupFactory(name="初中", min_age=12, max_age=15, sort_order=0)
    AgeGroupFactory(name="学龄前", min_age=3, max_age=6, sort_order=0)
    assert [group.name for group in AgeGroup.objects.all()] == ["学龄前", "初中"]


@pytest.mark.django_db
def test_admin_lists_and_creates_topics_in_the_snippets_area(client):
    admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")
    sign_in_fully(client, admin)
    TopicFactory(name="防范校园欺凌")
    listing = client.get(reverse("wagtailsnippets_taxonomy_topic:list"))
    assert "防范校园欺凌" in listing.content.decode()
    response = client.post(
        reverse("wagtailsnippets_taxonomy_topic:add"), {"name": "青春期教育", "slug": "puberty", "sort_order": 3}
    )
    assert response.status_code == 302
    assert Topic.objects.filter(slug="puberty").exists()


@pytest.mark.django_db
def test_admin_lists_age_groups_in_the_snippets_area(client):
    admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")
    sign_in_fully(client, admin)
    AgeGroupFactory(name="小学（6–12 岁）")
    assert "小学（6–12 岁）" in client.get(reverse("wagtailsnippets_taxonomy_agegroup:list")).content.decode()


@pytest.mark.django_db
def test_district_staff_may_edit_the_taxonomy_and_teachers_may_not(client):
    from accounts.roles import Role
    from tests.factories.accounts import UserFactory

    staff, teacher = UserFactory(role=Role.DISTRICT_STAFF), UserFactory(role=Role.TEACHER)
    assert staff.has_perm("taxonomy.change_topic") and staff.has_perm("taxonomy.add_agegroup")
    assert not teacher.has_perm("taxonomy.change_topic")
    sign_in_fully(client, staff)
    response = client.post(
        reverse("wagtailsnippets_taxonomy_agegroup:add"), {"name": "婴幼儿", "slug": "infant", "sort_order": 0}
    )
    assert response.status_code == 302 and AgeGroup.objects.filter(slug="infant").exists()
