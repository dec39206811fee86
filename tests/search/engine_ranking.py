"""The evaluation set's rankings on a database of its own: run in a subprocess by test_engines.

    DATABASE_URL=sqlite:///… MAX_POSTINGS=8 python -m tests.search.engine_ranking OUTPUT.json

Migrates the empty database named by ``DATABASE_URL`` (the site's data migrations make the
home page), publishes the evaluation articles below the library index as the test does, and
writes every evaluation query's ranked candidates (page paths, best first) as JSON.
``MAX_POSTINGS`` lowers ``search.ranking.MAX_POSTINGS``, so that common words take the
bounded path (their best rows only) on a corpus this small.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def rankings() -> dict[str, list[str]]:
    """Every evaluation query and its ranked candidates as page paths, on the current database."""
    from wagtail.models import Page

    from search.query import search_pages
    from search.ranking import forget_stats

    from .evaluation import queries

    forget_stats()  # the index's page count and field lengths as they are now, not as last read
    paths = dict(Page.objects.values_list("pk", "url_path"))
    return {item.query: [paths[page_id] for page_id in search_pages(item.query).results.ids] for item in queries()}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiai.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from search import ranking
    from tests.factories.library import library_index

    ranking.MAX_POSTINGS = int(os.environ.get("MAX_POSTINGS", ranking.MAX_POSTINGS))

    from .evaluation import load_articles

    call_command("migrate", verbosity=0, interactive=False)
    load_articles(library_index())
    Path(sys.argv[1]).write_text(json.dumps(rankings(), ensure_ascii=False))


if __name__ == "__main__":
    main()
