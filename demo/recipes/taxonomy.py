"""The shared topics and age groups (``data/taxonomy.json``) the courses, library and quizzes use."""

from __future__ import annotations

from ..builder import load
from ..sources import AgeGroup, Topic

TAXONOMY = load("taxonomy.json")


def ensure_taxonomy() -> tuple[dict[str, Topic], dict[str, AgeGroup]]:
    topics = {}
    for order, spec in enumerate(TAXONOMY["topics"]):
        topics[spec["slug"]], _created = Topic.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "sort_order": order}
        )
    age_groups = {}
    for order, spec in enumerate(TAXONOMY["age_groups"]):
        age_groups[spec["slug"]], _created = AgeGroup.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "min_age": spec["min_age"],
                "max_age": spec["max_age"],
                "sort_order": order,
            },
        )
    return topics, age_groups
