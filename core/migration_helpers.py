"""Helpers that migrations import: keep them free of models and of the app registry.

A migration module is imported before the apps are ready (``makemigrations``, ``migrate``,
``sqlmigrate``), so nothing here may import a model or anything that does; the functions
work on the historical models the migration hands them. A migration that uses one keeps
meaning what it meant when it was written only while the function does: change a helper's
behaviour by adding a new one, never by editing one in use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.apps.registry import Apps
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

RunPythonFunction = Callable[[Apps, BaseDatabaseSchemaEditor], None]


def rename_content_types(old_label: str, new_label: str, model_names: Iterable[str]) -> RunPythonFunction:
    """A ``RunPython`` function that moves the content types of ``model_names`` (lower-case
    model names) from app ``old_label`` to app ``new_label``, in place.

    The rows keep their ids, so everything that points at a content type by id (pages,
    revisions, permissions, log entries, the search and reference indexes) keeps pointing at
    the moved models. Pass the labels the other way round for the reverse operation.
    """
    names = list(model_names)

    def rename(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        ContentType: Any = apps.get_model("contenttypes", "ContentType")  # a historical model
        db = schema_editor.connection.alias
        ContentType.objects.using(db).filter(app_label=old_label, model__in=names).update(app_label=new_label)

    return rename


def create_groups(names: Iterable[str]) -> tuple[RunPythonFunction, RunPythonFunction]:
    """``RunPython`` functions (forwards, backwards) that create the auth groups ``names`` when
    missing, and delete them again."""
    groups = list(names)

    def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        Group = apps.get_model("auth", "Group")
        for name in groups:
            Group.objects.get_or_create(name=name)

    def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        apps.get_model("auth", "Group").objects.filter(name__in=groups).delete()

    return forwards, backwards


def rename_rows(renames: dict[str, list[tuple[str, str]]]) -> tuple[RunPythonFunction, RunPythonFunction]:
    """``RunPython`` functions (forwards, backwards) that rename rows by their ``name`` field:
    ``{"app.Model": [(old, new), ...]}``. A row is renamed only when no row has the new name."""

    def rename(apps: Apps, forwards: bool) -> None:
        for label, pairs in renames.items():
            model = apps.get_model(label)
            for old, new in pairs:
                before, after = (old, new) if forwards else (new, old)
                if not model.objects.filter(name=after).exists():
                    model.objects.filter(name=before).update(name=after)

    def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        rename(apps, forwards=True)

    def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        rename(apps, forwards=False)

    return forwards, backwards
