"""Factories for the legal-education alliance: the alliance page, members, events and registrations."""

from __future__ import annotations

import datetime

from django.utils import timezone

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from alliance.models import (
    AllianceEventPage,
    AllianceIndexPage,
    AllianceMember,
    AllianceNewsPage,
    EventKind,
    EventRegistration,
    MemberCategory,
    TeachingResourcePage,
)
from tests.factories.home import home_page


class AllianceIndexPageFactory(wagtail_factories.PageFactory):
    title = "徐汇普法教育联盟"
    slug = "alliance"
    intro = "政法、教育等部门共建的法治教育共同体。"

    class Meta:
        model = AllianceIndexPage


class AllianceMemberFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"联盟成员单位{n}")
    category = MemberCategory.COURT
    description = "开展法治进校园活动。"

    class Meta:
        model = AllianceMember


def _in_days(days: int, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class AllianceEventPageFactory(wagtail_factories.PageFactory):
    """A live lecture ten days from now, two hours long, 30 seats."""

    title = factory.Sequence(lambda n: f"普法讲座{n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = EventKind.LECTURE
    starts_at = factory.LazyFunction(lambda: _in_days(10))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=2))
    place = "区未保中心报告厅"
    audience = "初中学生家长"
    capacity = 30
    summary = "法官讲解校园欺凌的法律责任。"

    class Meta:
        model = AllianceEventPage


class AllianceNewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"联盟动态{n}")
    slug = factory.Sequence(lambda n: f"news-{n}")
    summary = "联盟走进学校开展普法讲座。"

    class Meta:
        model = AllianceNewsPage


class TeachingResourcePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"法治教育教案{n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    summary = "一课时的班会教案。"

    class Meta:
        model = TeachingResourcePage


class EventRegistrationFactory(DjangoModelFactory):
    event = None
    name = factory.Sequence(lambda n: f"家长{n}")
    phone = factory.Sequence(lambda n: f"+86137{n:08d}")

    class Meta:
        model = EventRegistration


def alliance_index() -> AllianceIndexPage:
    """The site's alliance page under the home page, created on first use."""
    existing = AllianceIndexPage.objects.first()
    return existing or AllianceIndexPageFactory(parent=home_page())


def event(**fields) -> AllianceEventPage:
    return AllianceEventPageFactory(parent=alliance_index(), **fields)


def fill(event_page: AllianceEventPage, count: int) -> list[EventRegistration]:
    return [EventRegistrationFactory(event=event_page) for _ in range(count)]
