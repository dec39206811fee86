"""The ranking index: each page's words by field, written whenever Wagtail indexes the page.

``search.backend`` wraps Wagtail's database backend so that ``add``, ``add_bulk``, ``delete``,
``update_index`` and the index signal handlers also call :func:`index_pages` and
:func:`remove_pages` here. The rows are plain tables with a B-tree on (term, impact): the same
rows, the same queries and the same ranking on SQLite and PostgreSQL (``search.ranking``).

A page's fields, by role:

- ``title``: the title;
- ``keywords``: ``search_keywords()`` (topics, tags, age groups) when the page has it;
- ``summary``: the search description and the fields named ``summary`` or ``intro``;
- ``body``: the other fields given to ``chinese_search_fields``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import Page
from wagtail.search import index

from .analysis import flatten, normalise, words
from .fields import SegmentedSearchField

FIELDS = ("title", "keywords", "summary", "body")
SUMMARY_FIELDS = frozenset({"summary", "intro"})
# Static weights for ``impact`` only (the order in which a common word's rows are read).
IMPACT_WEIGHTS = {"title": 30, "keywords": 25, "summary": 15, "body": 10}
MAX_TERM_LENGTH = 64
SMALLINT = 32767


def field_texts(page: Page) -> dict[str, str]:
    """The page's searchable text by role, unsegmented."""
    texts: dict[str, list[str]] = {name: [] for name in FIELDS}
    texts["title"].append(page.title or "")
    keywords = getattr(page, "search_keywords", None)
    if callable(keywords):
        texts["keywords"].extend(str(word) for word in keywords())
    texts["summary"].append(page.search_description or "")
    for field in page.get_search_fields():
        if not isinstance(field, index.SearchField) or field.field_name in ("title", "search_description"):
            continue
        if field.field_name in ("seo_title",):
            continue
        segmented = isinstance(field, SegmentedSearchField)
        value = field.get_raw_value(page) if segmented else flatten(field.get_value(page))
        role = "summary" if field.field_name in SUMMARY_FIELDS else "body"
        texts[role].append(value)
    return {name: " ".join(part for part in parts if part) for name, parts in texts.items()}


def pinyin_of(word: str) -> str:
    """Toneless pinyin, no separators (``早恋`` -> ``zaolian``); the word itself when it has no Chinese."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(word, style=Style.NORMAL, errors="default")).lower()[:200]


def _indexable(page) -> bool:
    return isinstance(page, Page) and page.content_type_id == ContentType.objects.get_for_model(type(page)).pk


def index_pages(pages: Iterable) -> int:
    """(Re)writes the ranking rows of ``pages``; returns how many pages were indexed."""
    from .models import SearchDocument, SearchPosting, SearchWord

    documents, postings, vocabulary = [], [], set()
    for page in pages:
        if not _indexable(page):
            continue
        texts = field_texts(page)
        counts = {name: Counter(word[:MAX_TERM_LENGTH] for word in words(texts[name])) for name in FIELDS}
        documents.append(
            SearchDocument(
                page_id=page.pk,
                **{name: normalise(texts[name]) for name in FIELDS},
                **{f"{name}_length": sum(counts[name].values()) for name in FIELDS},
            )
        )
        for term in set().union(*counts.values()):
            frequencies = {name: min(SMALLINT, counts[name][term]) for name in FIELDS}
            impact = sum(IMPACT_WEIGHTS[name] * frequencies[name] for name in FIELDS)
            postings.append(SearchPosting(document_id=page.pk, term=term, impact=impact, **frequencies))
            vocabulary.add(term)
    if not documents:
        return 0
    ids = [document.page_id for document in documents]
    with transaction.atomic():
        SearchDocument.objects.filter(page_id__in=ids).delete()
        SearchDocument.objects.bulk_create(documents, batch_size=500)
        SearchPosting.objects.bulk_create(postings, batch_size=2000)
        known = set(SearchWord.objects.filter(word__in=vocabulary).values_list("word", flat=True))
        SearchWord.objects.bulk_create(
            [SearchWord(word=word, pinyin=pinyin_of(word)) for word in sorted(vocabulary - known)],
            batch_size=1000,
            ignore_conflicts=True,
        )
    return len(documents)


def remove_pages(page_ids: Iterable[int]) -> None:
    from .models import SearchDocument

    SearchDocument.objects.filter(page_id__in=list(page_ids)).delete()


def reset() -> None:
    from .models import SearchDocument, SearchPosting

    SearchPosting.objects.all().delete()
    SearchDocument.objects.all().delete()
