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

import hashlib
from collections import Counter
from collections.abc import Iterable
from functools import cache

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


def field_parts(page: Page) -> dict[str, list[tuple[str, SegmentedSearchField | None]]]:
    """The page's searchable text by role, unsegmented, in parts: each with the segmented field it
    comes from (whose words the search backend has segmented already), if any."""
    parts: dict[str, list[tuple[str, SegmentedSearchField | None]]] = {name: [] for name in FIELDS}
    parts["title"].append((page.title or "", None))
    keywords = getattr(page, "search_keywords", None)
    if callable(keywords):
        parts["keywords"].extend((str(word), None) for word in keywords())
    parts["summary"].append((page.search_description or "", None))
    for field in page.get_search_fields():
        if not isinstance(field, index.SearchField) or field.field_name in ("title", "search_description"):
            continue
        if field.field_name in ("seo_title",):
            continue
        role = "summary" if field.field_name in SUMMARY_FIELDS else "body"
        if isinstance(field, SegmentedSearchField):
            parts[role].append((field.get_raw_value(page), field))
        else:
            parts[role].append((flatten(field.get_value(page)), None))
    return {name: [(text, field) for text, field in items if text] for name, items in parts.items()}


def field_texts(page: Page) -> dict[str, str]:
    """The page's searchable text by role, unsegmented."""
    return {name: " ".join(text for text, _field in items) for name, items in field_parts(page).items()}


def _field_words(page: Page, items: list[tuple[str, SegmentedSearchField | None]]) -> list[str]:
    """The words of one role: the same as ``words()`` of its joined text (jieba splits at spaces),
    reusing what the backend segmented."""
    found: list[str] = []
    for text, field in items:
        found += field.words_of(page) if field is not None else words(text)
    return found


def pinyin_of(word: str) -> str:
    """Toneless pinyin, no separators (``早恋`` -> ``zaolian``); the word itself when it has no Chinese."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(word, style=Style.NORMAL, errors="default")).lower()[:200]


@cache
def analysis_version() -> str:
    """What else decides a page's words besides its text: jieba's dictionary of the site, and this
    module's rules. A new dictionary (a deploy) makes every page's digest differ: ``update_index``
    then rewrites every page's rows."""
    from .analysis import DICTIONARY

    return hashlib.sha256(DICTIONARY.read_bytes() + f"{MAX_TERM_LENGTH}:{IMPACT_WEIGHTS}".encode()).hexdigest()[:16]


def text_digest(texts: dict[str, str]) -> str:
    """A digest of the page's text by field: equal digests, equal rows (nothing to rewrite)."""
    payload = "\x1f".join(texts[name] for name in FIELDS) + "\x1e" + analysis_version()
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _indexable(page) -> bool:
    return isinstance(page, Page) and page.content_type_id == ContentType.objects.get_for_model(type(page)).pk


def index_pages(pages: Iterable) -> int:
    """(Re)writes the ranking rows of ``pages`` whose text changed; returns how many were written.

    A page saved without a change to its indexed text (publishing a revision saves the page
    twice; moving it, changing its owner or its go-live date) keeps its rows: the digest of its
    text says so in one query, before any segmentation. Changed pages are written with one
    DELETE of their postings, one upsert of their documents and one INSERT of their postings,
    whatever their number.
    """
    from .models import SearchDocument

    pages_by_id: dict[int, Page] = {}
    parts_by_page: dict[int, dict[str, list[tuple[str, SegmentedSearchField | None]]]] = {}
    for page in pages:
        if _indexable(page):
            pages_by_id[page.pk] = page
            parts_by_page[page.pk] = field_parts(page)
    if not parts_by_page:
        return 0
    texts_by_page = {
        page_id: {name: " ".join(text for text, _field in items) for name, items in parts.items()}
        for page_id, parts in parts_by_page.items()
    }
    digests = {page_id: text_digest(texts) for page_id, texts in texts_by_page.items()}
    unchanged = set(
        SearchDocument.objects.filter(page_id__in=list(digests), digest__in=set(digests.values())).values_list(
            "page_id", "digest"
        )
    )
    changed = [page_id for page_id in texts_by_page if (page_id, digests[page_id]) not in unchanged]
    if changed:
        _write(
            {page_id: (pages_by_id[page_id], parts_by_page[page_id], texts_by_page[page_id]) for page_id in changed},
            digests,
        )
    return len(changed)


def _renewed() -> None:
    """The index changed: its cached page count, field lengths and word frequencies
    (``search.ranking``) are of an older generation, now and once the change commits."""
    from .ranking import forget_stats

    forget_stats()
    transaction.on_commit(forget_stats)


def _write(pages: dict[int, tuple[Page, dict, dict[str, str]]], digests: dict[int, str]) -> None:
    from .models import SearchDocument, SearchPosting, SearchWord

    documents, postings, vocabulary = [], [], set()
    for page_id, (page, parts, texts) in pages.items():
        counts = {name: Counter(word[:MAX_TERM_LENGTH] for word in _field_words(page, parts[name])) for name in FIELDS}
        lengths = {f"{name}_length": sum(counts[name].values()) for name in FIELDS}
        documents.append(
            SearchDocument(
                page_id=page_id,
                digest=digests[page_id],
                **{name: normalise(texts[name]) for name in FIELDS},
                **lengths,
            )
        )
        for term in set().union(*counts.values()):
            frequencies = {name: min(SMALLINT, counts[name][term]) for name in FIELDS}
            impact = sum(IMPACT_WEIGHTS[name] * frequencies[name] for name in FIELDS)
            postings.append(SearchPosting(document_id=page_id, term=term, impact=impact, **frequencies, **lengths))
            vocabulary.add(term)
    columns = ["digest", *FIELDS, *(f"{name}_length" for name in FIELDS)]
    with transaction.atomic():
        # A plain DELETE (postings have nothing that cascades from them), then an upsert of the
        # documents: deleting documents would make Django read every posting row first.
        SearchPosting.objects.filter(document_id__in=list(pages)).delete()
        SearchDocument.objects.bulk_create(
            documents, batch_size=500, update_conflicts=True, unique_fields=["page"], update_fields=columns
        )
        SearchPosting.objects.bulk_create(postings, batch_size=2000)
        known = set(SearchWord.objects.filter(word__in=vocabulary).values_list("word", flat=True))
        SearchWord.objects.bulk_create(
            [SearchWord(word=word, pinyin=pinyin_of(word)) for word in sorted(vocabulary - known)],
            batch_size=1000,
            ignore_conflicts=True,
        )
        _renewed()


def remove_pages(page_ids: Iterable[int]) -> None:
    from .models import SearchDocument, SearchPosting

    ids = list(page_ids)
    with transaction.atomic():
        SearchPosting.objects.filter(document_id__in=ids).delete()
        SearchDocument.objects.filter(page_id__in=ids).delete()
        _renewed()


def reset() -> None:
    from .models import SearchDocument, SearchPosting

    SearchPosting.objects.all().delete()
    SearchDocument.objects.all().delete()
    _renewed()
