"""Search fields whose indexed value is segmented Chinese text.

Any page model opts in with :func:`chinese_search_fields`; the backend (database, Elasticsearch,
OpenSearch) stays whatever ``WAGTAILSEARCH_BACKENDS`` says, because only the *value* handed to
it changes. The title field keeps the name ``title`` so the database backends store it in their
title column (ranked above body text), and keyword-like attributes (topics, tags) are indexed
with the title for the same reason.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import Page
from wagtail.search import index

from .analysis import flatten, segment, words


class SegmentedSearchField(index.SearchField):
    """A ``SearchField`` that hands the backend jieba-segmented text.

    ``also`` names further attributes or methods of the object whose text is indexed with this
    field (for the title: topics and tags, so they rank like the title does).
    """

    def __init__(self, field_name: str, *, also: tuple[str, ...] = (), **kwargs):
        super().__init__(field_name, **kwargs)
        self.also = tuple(also)

    def get_raw_value(self, obj) -> str:
        parts = [flatten(super().get_value(obj))]
        for name in self.also:
            value: Any = getattr(obj, name, None)
            if callable(value):
                value = value()
            if hasattr(value, "all"):
                value = [str(item) for item in value.all()]
            parts.append(flatten(value))
        return " ".join(part for part in parts if part)

    def get_value(self, obj) -> str:
        return " ".join(self.words_of(obj))

    def words_of(self, obj) -> list[str]:
        """The field's words, segmented once per object and text.

        The backend reads a field's value several times while indexing one object (title,
        title text, body, body text), and the ranking index reads it again: jieba runs once.
        Keyed by the raw text, so an object changed after it was indexed is segmented anew.
        """
        raw = self.get_raw_value(obj)
        cache = obj.__dict__.setdefault("_segmented_search_words", {})
        cached = cache.get(self.field_name)
        if cached is None or cached[0] != raw:
            cached = cache[self.field_name] = (raw, words(raw))
        return cached[1]


class SegmentedAutocompleteField(index.AutocompleteField):
    """Autocomplete on words, so typing 欺 suggests pages about 欺凌 (prefix match on a word)."""

    def get_value(self, obj) -> str:
        return segment(flatten(super().get_value(obj)))


def chinese_search_fields(
    *body_fields: str, keywords: tuple[str, ...] = ("search_keywords",), base: list | None = None
) -> list:
    """``search_fields`` for a page: segmented title (plus ``keywords``) and body fields.

    ``base`` (default ``Page.search_fields``) is kept whole. ``keywords`` are attributes or
    methods indexed and ranked with the title: by default a page's ``search_keywords()``
    (topics, tags), when it has one. Usage::

        search_fields = chinese_search_fields("intro", "body")
    """
    base = Page.search_fields if base is None else base
    # Page's own title fields stay (Wagtail's system check wants them, and the raw title costs
    # little); the segmented title follows them, so a backend that keeps one value per field
    # name (Elasticsearch) keeps the segmented one.
    return [
        *base,
        SegmentedSearchField("title", also=keywords, boost=2),
        SegmentedAutocompleteField("title"),
        *[SegmentedSearchField(name) for name in body_fields],
    ]


def raw_search_text(page, *, include_title: bool = False) -> str:
    """The unsegmented text of a page's body search fields, for result snippets."""
    texts = []
    for field in page.get_search_fields():
        if not isinstance(field, index.SearchField):
            continue
        if field.field_name == "title" and not include_title:
            continue
        if isinstance(field, SegmentedSearchField):
            texts.append(field.get_raw_value(page))
        else:
            texts.append(flatten(field.get_value(page)))
    return " ".join(text for text in texts if text)
