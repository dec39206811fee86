"""Site search over pages: query analysis, synonyms, promotions, re-ranking and snippets.

The configured backend (database, Elasticsearch, OpenSearch) finds the candidates: ``Page.search``
with OR over the query's words, so a parent's whole question still matches, capped at
``CANDIDATE_LIMIT``. This module then ranks them the same way whatever the backend: each word
counts by its length and rarity, three times over in the title or keywords, so title and tag
matches rank above body matches. Queries are fixed in number: synonyms, promotions, the
backend's search, and one per page type among the candidates.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page, Site

from .analysis import normalise, words
from .fields import raw_search_text

CANDIDATE_LIMIT = 200
SNIPPET_LENGTH = 90
HEADING_WEIGHT = 3

# Words that carry no topic in a parent's question (怎么办, 如何 …): left out of the query.
_QUESTION_WORDS = (
    "怎么办 怎么 怎样 如何 什么 为什么 为何 吗 呢 吧 啊 呀 的 地 得 了 着 过 是 在 和 与 及 被 把 给 让 "
    "我 我们 你 你们 他 她 它 他们 她们 我家 有 有没有 没有 应该 应当 可以 能 能不能 要 会 一个 这个 那个 "
    "这 那 哪里 哪些 哪个 谁 该 请问 一下 还 就 都 也 很 太 又 总是 经常 老是 不 不是 么 办"
)
QUESTION_WORDS = frozenset(_QUESTION_WORDS.split())


@dataclass
class AnalysedQuery:
    """A query as the backend will see it."""

    text: str
    raw: str = ""
    terms: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    synonyms_used: list[str] = field(default_factory=list)

    @property
    def all_terms(self) -> list[str]:
        return list(dict.fromkeys(self.terms + self.expansions))

    def __bool__(self) -> bool:
        return bool(self.all_terms)


@dataclass
class PageType:
    key: str
    label: str
    count: int


@dataclass
class SearchOutcome:
    query: AnalysedQuery
    results: list[Page]
    page_types: list[PageType]
    promotions: list = field(default_factory=list)


def synonym_pairs() -> list[tuple[str, list[str]]]:
    from .models import SearchSynonym

    return [(synonym.term, synonym.variants()) for synonym in SearchSynonym.objects.all()]


def analyse_query(query_string: str, *, synonyms: list[tuple[str, list[str]]] | None = None) -> AnalysedQuery:
    """Normalise, segment and expand a query: question words out, editors' terms for synonyms in."""
    text = normalise(query_string)[:200]
    tokens = words(text)
    terms = [token for token in tokens if token not in QUESTION_WORDS] or tokens
    terms = list(dict.fromkeys(terms))
    if synonyms is None:
        synonyms = synonym_pairs()
    expansions: list[str] = []
    used: list[str] = []
    compact = text.replace(" ", "")
    for term, variants in synonyms:
        if any(variant and (variant in compact or variant in terms) for variant in variants):
            expansions.extend(word for word in words(term) if word not in terms)
            used.append(term)
    return AnalysedQuery(
        text=text,
        raw=query_string.strip(),
        terms=terms,
        expansions=list(dict.fromkeys(expansions)),
        synonyms_used=used,
    )


def body_text(page: Page) -> str:
    """The page's body search text, worked out once per page object: ranking reads it for every
    candidate and the snippet again for the results shown (a StreamField parse each time)."""
    text = page.__dict__.get("_search_body_text")
    if text is None:
        text = page.__dict__["_search_body_text"] = raw_search_text(page)
    return text


def heading_text(page: Page) -> str:
    keywords = getattr(page, "search_keywords", None)
    return normalise(" ".join([page.title, *(keywords() if callable(keywords) else [])]))


def rank(pages: list[Page], query: AnalysedQuery) -> list[Page]:
    """Order candidates (given in the backend's order) by the query words they contain.

    Each word counts by its length and its rarity among the candidates (a word in every page,
    like 孩子, says little), three times over when it is in the title or keywords. The backend's
    order breaks ties, so results stay stable across backends.
    """
    terms = [term for term in query.all_terms if len(term) > 1] or query.all_terms
    texts = {page.pk: (heading_text(page), normalise(body_text(page))) for page in pages}
    total = len(pages) or 1
    weights = {}
    for term in terms:
        found = sum(1 for heading, body in texts.values() if term in heading or term in body)
        if found:
            weights[term] = len(term) * math.log(1 + total / found)

    def score(page: Page) -> float:
        heading, body = texts[page.pk]
        return sum(
            weight * (HEADING_WEIGHT if term in heading else 1 if term in body else 0)
            for term, weight in weights.items()
        )

    position = {page.pk: index for index, page in enumerate(pages)}
    return sorted(pages, key=lambda page: (-score(page), position[page.pk]))


def specific_pages(pages: list[Page]) -> list[Page]:
    """``pages`` as their specific models, in the same order, in a fixed number of queries.

    One query per page type, plus one per many-to-many field of that type (topics, age groups,
    tags), prefetched because ranking reads them as keywords: without this, each course or
    resource among 200 candidates cost two more queries.
    """
    by_type = defaultdict(list)
    for page in pages:
        by_type[page.content_type_id].append(page.pk)
    loaded: dict[int, Page] = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page  # Page: its app is gone
        related = [field.name for field in model._meta.many_to_many]
        loaded.update((page.pk, page) for page in model._default_manager.filter(pk__in=ids).prefetch_related(*related))
    return [loaded[page.pk] for page in pages if page.pk in loaded]


def type_key(page: Page) -> str:
    return f"{page._meta.app_label}.{page._meta.model_name}"


def search_pages(
    query_string: str,
    *,
    page_type: str | None = None,
    site: Site | None = None,
    limit: int = CANDIDATE_LIMIT,
    synonyms: list[tuple[str, list[str]]] | None = None,
) -> SearchOutcome:
    """Live, public pages matching ``query_string``, best first; ``page_type`` is "app.model"."""
    query = analyse_query(query_string, synonyms=synonyms)
    if not query:
        return SearchOutcome(query=query, results=[], page_types=[])
    pages = Page.objects.live().public().filter(depth__gt=1)
    if site is not None:
        pages = pages.in_site(site)
    promotions = promoted(query)
    promoted_ids = {promotion.page_id for promotion in promotions if promotion.page_id}
    # Only the id and type of each candidate: specific_pages() loads the pages themselves.
    found = pages.only("id", "content_type").search(" ".join(query.all_terms), operator="or")
    candidates = list(found[:limit])
    specific = rank(specific_pages([page for page in candidates if page.pk not in promoted_ids]), query)

    counts = Counter(type_key(page) for page in specific)
    labels = {type_key(page): str(page._meta.verbose_name_plural) for page in specific}
    page_types = [PageType(key, labels[key], count) for key, count in counts.most_common()]
    if page_type:
        specific = [page for page in specific if type_key(page) == page_type]
    return SearchOutcome(query=query, results=specific, page_types=page_types, promotions=promotions)


def promoted(query: AnalysedQuery) -> list:
    """Editors' picks (wagtail.contrib.search_promotions) for this query, in their order: as
    typed (Wagtail's own normalisation, as in the admin) or in simplified characters."""
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.search.utils import normalise_query_string

    query_strings = {normalise_query_string(query.raw), query.text}
    return list(
        SearchPromotion.objects.filter(query__query_string__in=query_strings)
        .filter(Q(page__isnull=True) | Q(page__live=True))
        .select_related("page")
        .order_by("sort_order")
    )


def highlight(text: str, query: AnalysedQuery, *, length: int = SNIPPET_LENGTH) -> SafeString:
    """A window of ``text`` around the first query word, escaped, with the words in ``<mark>``."""
    text = re.sub(r"\s+", " ", text or "").strip()
    terms = sorted((term for term in query.all_terms if term), key=len, reverse=True)
    if not text:
        return SafeString("")
    lowered = normalise(text) if len(normalise(text)) == len(text) else text.lower()
    positions = [lowered.find(term) for term in terms if lowered.find(term) >= 0]
    start = max(0, min(positions) - length // 3) if positions else 0
    window = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    escaped: str = escape(window)
    if terms:
        pattern = re.compile("|".join(re.escape(escape(term)) for term in terms), re.IGNORECASE)
        escaped = pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", escaped).replace("</mark><mark>", "")
    return mark_safe(prefix + escaped + suffix)  # noqa: S308 - built from escaped text only


def snippet_for(page: Page, query: AnalysedQuery) -> SafeString:
    text = page.search_description or body_text(page)
    return highlight(text, query)


def suggestions(query_string: str, *, site: Site | None = None, limit: int = 6) -> list[Page]:
    """Pages whose title words start with what has been typed so far (the last word a prefix)."""
    text = normalise(query_string)
    tokens = [token for token in words(text, for_search=False) if token not in QUESTION_WORDS]
    if not tokens:
        return []
    pages = Page.objects.live().public().filter(depth__gt=1)
    if site is not None:
        pages = pages.in_site(site)
    found = list(pages.autocomplete(" ".join(tokens))[:limit])
    if not found:
        found = list(pages.search(" ".join(words(text)), operator="or")[:limit])
    return found
