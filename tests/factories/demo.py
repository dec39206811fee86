"""The demo content, built once per test process and restored from a snapshot after that.

``manage.py load_demo_content`` takes seconds (pages with revisions, images, the demo video,
quizzes, cases, and with the search index several more). Most tests that need the demo only
read it or work on top of it, so ``load_demo()`` runs the real loader the first time a process
(a pytest-xdist worker, or the serial run) asks for a given set of arguments, saves what is then
in the database with ``dumpdata`` and the media files it wrote, and on every later call
restores that snapshot with ``loaddata`` instead of building again.

Call it on a database in the state the migrations leave (what a test starts from): the snapshot
holds every row, so rows a test made before asking would be saved with the demo and restored into
the next test. Tests of the loader itself (idempotency, what it prints) call the command instead.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

# Rebuilt by migrations and post_migrate, identical (same primary keys) in every test database.
NOT_SAVED = ["contenttypes", "auth.permission", "sessions"]


@dataclass(frozen=True)
class Snapshot:
    data: Path  # dumpdata's JSON
    media: Path  # the files the loader wrote under MEDIA_ROOT


_SNAPSHOTS: dict[tuple[str, ...], Snapshot] = {}
_DIR: dict[str, Path] = {}


def _snapshot_dir() -> Path:
    if "dir" not in _DIR:
        _DIR["dir"] = Path(tempfile.mkdtemp(prefix="huiai-demo-snapshot-"))
    return _DIR["dir"]


def load_demo(*args: str) -> None:
    """``load_demo_content *args``: run for real once per process, then restored from its snapshot."""
    key = tuple(args)
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        _SNAPSHOTS[key] = snapshot = _build(key)  # the rows are in the database already
    else:
        call_command("loaddata", str(snapshot.data), verbosity=0, stdout=StringIO())
    shutil.copytree(snapshot.media, settings.MEDIA_ROOT, dirs_exist_ok=True)


def _build(key: tuple[str, ...]) -> Snapshot:
    folder = _snapshot_dir() / (("-".join(arg.strip("-") for arg in key)) or "full")
    media = folder / "media"
    media.mkdir(parents=True)
    data = folder / "demo.json"
    # The loader writes its files (images, the video, documents) to a folder of the snapshot's
    # own; load_demo copies them to the MEDIA_ROOT of whichever test asks, this first one included.
    with override_settings(MEDIA_ROOT=str(media)):
        call_command("load_demo_content", *key, stdout=StringIO())
    call_command("dumpdata", exclude=NOT_SAVED, use_base_manager=True, output=str(data), verbosity=0, stdout=StringIO())
    return Snapshot(data=data, media=media)
