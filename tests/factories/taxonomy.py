"""Factories for the shared taxonomy: topics and child age groups."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from taxonomy.models import AgeGroup, Topic


class TopicFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"主题{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = Topic


class AgeGroupFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"年龄段{n}")
    slug = factory.Sequence(lambda n: f"age-{n}")

    class Meta:
        model = AgeGroup
