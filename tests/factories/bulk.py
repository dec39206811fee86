"""Serialized rows put back fast: ``loaddata``'s result with one INSERT per table and batch.

``loaddata`` and Django's serialized rollback (what restores the migrations' rows before each
transactional test, ``django_db_serialized_rollback``) save one object at a time: an UPDATE, then
an INSERT, and the save signals. For the demo with its search index (tens of thousands of rows)
and for every browser journey that cost most of the test's set-up. ``load_rows`` stores the same
rows: new rows as ``loaddata``'s raw saves put them (each model's own table, the values as
dumped, no signals); rows that already exist (the root page, the role groups the migrations made)
are saved the way ``loaddata`` saves them, many-to-many links included. Foreign keys are checked
once at the end, as ``loaddata`` does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.core.management.color import no_style
from django.core.serializers.base import DeserializedObject
from django.db import connections, models, transaction

# Below SQLite's limit on the parameters of one query.
KEY_BATCH = 900


def load_rows(items: Iterable[DeserializedObject], *, using: str = "default", reset_sequences: bool = False) -> None:
    """Stores deserialized rows as ``loaddata`` would; ``reset_sequences`` as ``loaddata`` does."""
    connection = connections[using]
    by_model: dict[type[models.Model], list[DeserializedObject]] = defaultdict(list)
    for item in items:
        by_model[type(item.object)].append(item)
    links: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    with transaction.atomic(using=using), connection.constraint_checks_disabled():
        for model, group in by_model.items():
            existing = _existing_keys(model, [item.object.pk for item in group], using)
            new = []
            for item in group:
                if item.object.pk in existing:
                    item.save(using=using)  # loaddata's own path: an UPDATE, its links replaced
                    continue
                new.append(item.object)
                for name, targets in (item.m2m_data or {}).items():
                    field = model._meta.get_field(name)
                    through = field.remote_field.through
                    source = field.m2m_field_name() + "_id"
                    target = field.m2m_reverse_field_name() + "_id"
                    links[through].extend(through(**{source: item.object.pk, target: pk}) for pk in targets)
            fields = list(model._meta.local_concrete_fields)
            size = connection.ops.bulk_batch_size(fields, new) or 1
            for start in range(0, len(new), size):
                model._base_manager.using(using)._insert(new[start : start + size], fields=fields, raw=True)
        for through, rows in links.items():
            through._base_manager.using(using).bulk_create(rows)
        connection.check_constraints(table_names=[model._meta.db_table for model in [*by_model, *links]])
    if reset_sequences:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [*by_model, *links]):
                cursor.execute(statement)


def _existing_keys(model: type[models.Model], keys: list[object], using: str) -> set[object]:
    """Which of ``keys`` are already primary keys in ``model``'s own table."""
    found: set[object] = set()
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        found.update(model._base_manager.using(using).filter(pk__in=batch).values_list("pk", flat=True))
    return found
