"""Demo search synonyms (``data/synonyms.csv``): the words parents type for the words the site's content uses."""

from __future__ import annotations

from ..builder import load
from ..sources import SearchSynonym

DEMO_SYNONYMS = {row["term"]: row["synonyms"] for row in load("synonyms.csv")}


def create_demo_synonyms() -> list[SearchSynonym]:
    """Create the demo synonyms that do not exist yet; editors' own entries are left alone."""
    return [
        SearchSynonym.objects.get_or_create(term=term, defaults={"synonyms": synonyms})[0]
        for term, synonyms in DEMO_SYNONYMS.items()
    ]
