"""The small builder every demo recipe uses: read a data file, find or create, publish.

Idempotent in the bakerydemo manner: everything is looked up (pages by slug under their
parent, files by title) before it is created, and what exists is left as it is, so loading the
demo twice changes nothing. New pages get a real Wagtail revision that is then published, as an
editor's would.
"""

from __future__ import annotations

import csv
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from django.core.files import File
from django.core.files.base import ContentFile

from .sources import HomePage, Page, Site, get_document_model

DATA = Path(__file__).resolve().parent / "data"
MEDIA = Path(__file__).resolve().parent / "media"


def load(name: str) -> Any:
    """A file of ``demo/data/``: JSON or TOML as a dict or list, CSV as a list of row dicts."""
    path = DATA / name
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    if path.suffix == ".toml":
        return tomllib.loads(path.read_text(encoding="utf-8"))
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    raise ValueError(f"Unknown demo data format: {name}")


def write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def home_page() -> HomePage:
    """The default site's home page (the only home page when no site points at one)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.get()


def child(parent: Page, model: type[Page], slug: str) -> Page | None:
    return model.objects.child_of(parent).filter(slug=slug).first()


def publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def ensure_page(
    parent: Page, model: type[Page], slug: str, relations: dict[str, Any] | None = None, **fields: Any
) -> tuple[Page, bool]:
    """The ``model`` page at ``slug`` under ``parent``: the existing one, or a new published one.

    ``relations`` (parental many-to-many fields and inline children) are set before the page is
    saved, so they are part of its first revision.
    """
    existing = child(parent, model, slug)
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    for name, value in (relations or {}).items():
        setattr(page, name, value)
    parent.add_child(instance=page)
    return publish(page), True


def page_refs(value: Any, pages: dict[str, Page]) -> Any:
    """A stream value with each ``"page": "@key"`` link turned into that page's id."""
    if isinstance(value, dict):
        return {
            key: (pages[item[1:]].pk if key == "page" and isinstance(item, str) else page_refs(item, pages))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [page_refs(item, pages) for item in value]
    return value


def ensure_document(title: str, filename: str, content: Callable[[], bytes]):
    """A Wagtail document found by title, or uploaded once from ``content()``."""
    document_model = get_document_model()
    existing = document_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = content()
    document = document_model(title=title, file_size=len(data))
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    return document


def store(field_file, source: Path, folder: str) -> None:
    """Puts a shipped file into a file field; the stored copy is reused when a database is
    rebuilt over the same media folder, so files do not pile up."""
    storage = field_file.storage
    name = f"{folder}/{source.name}"
    if storage.exists(name) and storage.size(name) == source.stat().st_size:
        field_file.name = name
    else:
        with source.open("rb") as handle:
            field_file.save(source.name, File(handle), save=False)
