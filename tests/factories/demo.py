"""The demo content, built once per test process and restored from a snapshot after that.

``manage.py load_demo_content`` takes seconds (pages with revisions, images, the demo video,
quizzes, cases, and with the search index several more), and so do its recipes. Most tests that
need the demo only read it or work on top of it, so ``load_demo()`` (and ``restored()`` for one
recipe) runs the real builder the first time a process (a pytest-xdist worker, or the serial run)
asks for it, saves what is then in the database with ``dumpdata`` and the media files it wrote, and
on every later call restores that snapshot with ``loaddata`` instead of building again.

Call them on a database in the state the migrations leave (what a test starts from): a snapshot
holds every row, so rows a test made before asking would be saved with the demo and restored into
the next test. Tests of the loader or a recipe themselves (idempotency, what they print, what they
do to existing content) call the command or the recipe instead.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import override_settings

# Rebuilt by migrations and post_migrate, identical (same primary keys) in every test database.
NOT_SAVED = ["contenttypes", "auth.permission", "sessions"]


@dataclass(frozen=True)
class Snapshot:
    data: Path  # dumpdata's JSON
    media: Path  # the files the builder wrote under MEDIA_ROOT
    result: tuple[type[models.Model], object] | None  # the model and primary key the builder returned


_SNAPSHOTS: dict[str, Snapshot] = {}
_DIR: dict[str, Path] = {}


def _snapshot_dir() -> Path:
    if "dir" not in _DIR:
        _DIR["dir"] = Path(tempfile.mkdtemp(prefix="huiai-demo-snapshot-"))
        atexit.register(shutil.rmtree, _DIR["dir"], ignore_errors=True)
    return _DIR["dir"]


def restored(name: str, build: Callable[[], models.Model | None]) -> models.Model | None:
    """``build()`` run for real the first time this process asks for ``name``, then its snapshot.

    Returns what ``build()`` returned (a model instance, fetched again after a restore) or None.
    """
    snapshot = _SNAPSHOTS.get(name)
    if snapshot is None:
        _SNAPSHOTS[name] = snapshot = _build(name, build)  # its rows are in the database already
    else:
        call_command("loaddata", str(snapshot.data), verbosity=0, stdout=StringIO())
    shutil.copytree(snapshot.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    if snapshot.result is None:
        return None
    model, pk = snapshot.result
    return model._default_manager.get(pk=pk)


def load_demo(*args: str) -> None:
    """``load_demo_content *args``: run for real once per process, then restored from its snapshot."""
    restored(
        " ".join(("load_demo_content", *args)), lambda: call_command("load_demo_content", *args, stdout=StringIO())
    )


def _build(name: str, build: Callable[[], models.Model | None]) -> Snapshot:
    folder = Path(tempfile.mkdtemp(prefix=name.replace(" ", "").replace("-", "_") + "-", dir=_snapshot_dir()))
    media = folder / "media"
    media.mkdir()
    data = folder / "demo.json"
    # The builder writes its files (images, the video, documents) to a folder of the snapshot's
    # own; restored() copies them to the MEDIA_ROOT of whichever test asks, this first one included.
    with override_settings(MEDIA_ROOT=str(media)):
        result = build()
    call_command("dumpdata", exclude=NOT_SAVED, use_base_manager=True, output=str(data), verbosity=0, stdout=StringIO())
    return Snapshot(data=data, media=media, result=None if result is None else (type(result), result.pk))
