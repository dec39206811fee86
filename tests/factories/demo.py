"""The demo content, built once per test process and restored from a snapshot after that.

``manage.py load_demo_content`` takes seconds (pages with revisions, images, the demo video,
quizzes, cases, and with the search index several more), and so do its recipes. Most tests that
need the demo only read it or work on top of it, so ``load_demo()`` (and ``restored()`` for one
recipe) runs the real builder the first time a process (a pytest-xdist worker, or the serial run)
asks for it, saves what is then in the database with ``dumpdata`` and the media files it wrote, and
on every later call restores that snapshot with ``loaddata`` instead of building again.

The snapshot is shared by every process of one test run (the pytest-xdist workers): the first
process to ask builds it under a file lock in ``HUIAI_DEMO_SNAPSHOT_DIR`` (made and removed by
tests/conftest.py in the process that starts the run); the others wait for it and restore it.
Every test database is made by the same migrations, so the rows the snapshot leaves out
(content types, permissions) have the same primary keys in each.

Call them on a database in the state the migrations leave (what a test starts from): a snapshot
holds every row, so rows a test made before asking would be saved with the demo and restored into
the next test. Tests of the loader or a recipe themselves (idempotency, what they print, what they
do to existing content) call the command or the recipe instead.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import models
from django.test import override_settings

from tests.factories.bulk import load_rows

# Rebuilt by migrations and post_migrate, identical (same primary keys) in every test database.
NOT_SAVED = ["contenttypes", "auth.permission", "sessions"]
SHARED_DIR_VARIABLE = "HUIAI_DEMO_SNAPSHOT_DIR"


@dataclass(frozen=True)
class Snapshot:
    data: Path  # dumpdata's JSON
    media: Path  # the files the builder wrote under MEDIA_ROOT
    result: tuple[type[models.Model], object] | None  # the model and primary key the builder returned


_SNAPSHOTS: dict[str, Snapshot] = {}
_DIR: dict[str, Path] = {}


def make_shared_dir() -> Path:
    """A folder for the snapshots of one test run; tests/conftest.py makes it before the workers start."""
    return Path(tempfile.mkdtemp(prefix="huiai-demo-snapshots-"))


def _snapshot_dir() -> Path:
    if "dir" not in _DIR:
        shared = os.environ.get(SHARED_DIR_VARIABLE)
        if shared:
            _DIR["dir"] = Path(shared)
        else:  # a process on its own (a test run without tests/conftest.py's set-up)
            _DIR["dir"] = make_shared_dir()
            atexit.register(shutil.rmtree, _DIR["dir"], ignore_errors=True)
    return _DIR["dir"]


def restored(name: str, build: Callable[[], models.Model | None]) -> models.Model | None:
    """``build()`` run for real the first time this test run asks for ``name``, then its snapshot.

    Returns what ``build()`` returned (a model instance, fetched again after a restore) or None.
    """
    snapshot = _SNAPSHOTS.get(name)
    if snapshot is None:
        snapshot, built_here = _shared(name, build)
        _SNAPSHOTS[name] = snapshot
        if not built_here:
            _restore(snapshot)
    else:
        _restore(snapshot)
    shutil.copytree(snapshot.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    if snapshot.result is None:
        return None
    model, pk = snapshot.result
    return model._default_manager.get(pk=pk)


def load_demo(*args: str) -> None:
    """``load_demo_content *args``: run for real once per test run, then restored from its snapshot."""
    restored(  # one snapshot for the same options in any order
        " ".join(("load_demo_content", *sorted(args))),
        lambda: call_command("load_demo_content", *args, stdout=StringIO()),
    )


def _restore(snapshot: Snapshot) -> None:
    """What ``loaddata`` stores, many rows per INSERT (tests/factories/bulk.py)."""
    with open(snapshot.data, encoding="utf-8") as data:
        load_rows(serializers.deserialize("json", data), reset_sequences=True)


def _shared(name: str, build: Callable[[], models.Model | None]) -> tuple[Snapshot, bool]:
    """The run's snapshot of ``name``, built here under a lock if no process has built it yet.

    Returns the snapshot and whether this call built it (its rows are then in the database).
    """
    folder = _snapshot_dir() / (name.replace(" ", "").replace("-", "_") or "demo")
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        done = folder / "result.json"
        if done.exists():
            return _read(folder), False
        _build(folder, build)
        return _read(folder), True


def _read(folder: Path) -> Snapshot:
    result = json.loads((folder / "result.json").read_text())
    model = apps.get_model(result["model"]) if result else None
    return Snapshot(
        data=folder / "demo.json",
        media=folder / "media",
        result=None if model is None else (model, result["pk"]),
    )


def _build(folder: Path, build: Callable[[], models.Model | None]) -> None:
    media = folder / "media"
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir()
    # The builder writes its files (images, the video, documents) to a folder of the snapshot's
    # own; restored() copies them to the MEDIA_ROOT of whichever test asks, this first one included.
    with override_settings(MEDIA_ROOT=str(media)):
        result = build()
    call_command(
        "dumpdata",
        exclude=NOT_SAVED,
        use_base_manager=True,
        output=str(folder / "demo.json"),
        verbosity=0,
        stdout=StringIO(),
    )
    described = None if result is None else {"model": result._meta.label, "pk": result.pk}
    (folder / "result.json").write_text(json.dumps(described))  # last: marks the snapshot complete
