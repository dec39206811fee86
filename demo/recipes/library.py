"""Demo resource library (``data/library.json``): the library index and sixteen short resources.

``create_demo_resources()`` is idempotent: the taxonomy is the one the courses use, the index
and each resource are looked up by slug, and the handouts of document resources by title,
before anything is created. Existing pages are left as they are.

No media files ship with the library and nothing links outside the site: video and audio
resources carry their script as text, with a note saying the recording is not part of the demo.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.db import transaction

from ..builder import ensure_document, ensure_page, home_page, load, write
from ..sources import LibraryIndexPage, ResourcePage
from .taxonomy import ensure_taxonomy

LIBRARY = load("library.json")
RESOURCES: list[dict] = LIBRARY["resources"]
LATEST_DATE = datetime.date.fromisoformat(LIBRARY["latest_date"])


def ensure_library_index(home) -> LibraryIndexPage:
    existing = LibraryIndexPage.objects.first()
    if existing is not None:
        return existing
    spec = LIBRARY["index"]
    return ensure_page(
        home, LibraryIndexPage, spec["slug"], title=spec["title"], intro=spec["intro"], show_in_menus=True
    )[0]


def handout(filename: str, text: str):
    """The handout of a document resource, looked up by title so it is uploaded once."""
    return ensure_document(filename.rsplit(".", 1)[0], filename, lambda: text.encode("utf-8"))


def ensure_resource(library_index, spec: dict, number: int, topics, age_groups) -> tuple[ResourcePage, bool]:
    if (existing := ResourcePage.objects.child_of(library_index).filter(slug=spec["slug"]).first()) is not None:
        return existing, False
    fields = {}
    if "document" in spec:
        fields["document"] = handout(spec["document"]["filename"], spec["document"]["text"])
    return ensure_page(
        library_index,
        ResourcePage,
        spec["slug"],
        relations={
            "topics": [topics[slug] for slug in spec["topics"]],
            "age_groups": [age_groups[slug] for slug in spec["ages"]],
        },
        title=spec["title"],
        kind=spec["kind"],
        summary=spec["summary"],
        body=spec["body"],
        source=LIBRARY["source"],
        published_date=LATEST_DATE - datetime.timedelta(days=LIBRARY["days_between"] * number),
        **fields,
    )


@transaction.atomic
def create_demo_resources(stdout: TextIO | None = None) -> LibraryIndexPage:
    """Creates (or completes) the demo resource library; running it again changes nothing."""
    topics, age_groups = ensure_taxonomy()
    library_index = ensure_library_index(home_page())
    for number, spec in enumerate(RESOURCES):
        resource, created = ensure_resource(library_index, spec, number, topics, age_groups)
        write(stdout, f"{'Created' if created else 'Kept'} resource {resource.title}\n")
    return library_index
