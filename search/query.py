"""Site search over pages: query analysis, synonyms, corrections, promotions and snippets.

A query is normalised (simplified characters with Taiwan/Hong Kong usage), segmented with jieba,
stripped of question words (怎么办, 如何 …): those are the typed words. The site's dictionary
(``vocabulary.txt``), the editors' synonyms and the corrections of pinyin and homophone typos
(``corrections``) add words that weigh less. ``ranking`` orders the pages of the ranking index
by BM25F; the same rows and the same arithmetic on SQLite and PostgreSQL give the same order.
Queries are fixed in number whatever the index holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import overload

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page, Site

from .analysis import normalise, to_simplified, words
from .corrections import correct
from .fields import raw_search_text
from .ranking import EXPANSION_WEIGHT, WeightedTerm, document_frequencies, rank_ids
from .vocabulary import vocabulary_rules

CANDIDATE_LIMIT = 200
CHECK_CHUNK = 400
SNIPPET_LENGTH = 90

# Words that carry no topic in a parent's question (怎么办, 如何 …): left out of the query.
_QUESTION_WORDS = (
    "怎么办 怎么 怎样 如何 什么 为什么 为何 吗 呢 吧 啊 呀 的 地 得 了 着 过 是 在 和 与 及 被 把 给 让 "
    "我 我们 你 你们 他 她 它 他们 她们 我家 有 有没有 没有 应该 应当 可以 能 能不能 要 会 一个 这个 那个 "
    "这 那 哪里 哪些 哪个 谁 该 请问 一下 还 就 都 也 很 太 又 总是 经常 老是 不 不是 么 办"
)
QUESTION_WORDS = frozenset(_QUESTION_WORDS.split())


@dataclass
class AnalysedQuery:
    """A query as the ranking sees it: typed words, and the words added for them, weighted less."""

    text: str
    raw: str = ""
    terms: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    synonyms_used: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    corrected: str = ""
    phrases: list[tuple[str, str]] = field(default_factory=list)
    found: set[str] = field(default_factory=set)
    groups: dict[str, str] = field(default_factory=dict)
    # Pages of the index holding each word, counted once per search (corrections, then ranking).
    frequencies: dict[str, int] = field(default_factory=dict)
    # Each group of added words (by its name, as in ``groups``): the typed words it was added for.
    stands_for: dict[str, set[str]] = field(default_factory=dict)
    editor_synonyms: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def all_terms(self) -> list[str]:
        return list(dict.fromkeys(self.terms + self.expansions + self.corrections))

    @property
    def typed_found_nothing(self) -> bool:
        """True when none of the typed words is in the index: the results come from the
        corrections and expansions alone ("showing results for …")."""
        return not (set(self.terms) & self.found)

    def standing_in(self) -> set[str]:
        """The groups added for typed words no page holds (emo, a game's name, an English
        abbreviation): the only way to find what was meant, they stand in for those words at a
        typed word's weight. Needs the typed words' ``frequencies``."""
        return {
            group
            for group, typed in self.stands_for.items()
            if typed and not any(self.frequencies.get(term, 0) for term in typed)
        }

    def weighted(self) -> list[WeightedTerm]:
        standing_in = self.standing_in()
        added = [
            (term, self.groups.get(term, "")) for term in self.expansions + self.corrections if term not in self.terms
        ]
        return [WeightedTerm(term, 1.0) for term in self.terms] + [
            WeightedTerm(term, 1.0 if group and group in standing_in else EXPANSION_WEIGHT, group)
            for term, group in added
        ]

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
    results: Sequence[Page]
    page_types: list[PageType]
    promotions: list = field(default_factory=list)


def synonym_pairs() -> list[tuple[str, list[str]]]:
    return [(term, variants) for term, variants, _mutual in synonym_rules()]


def synonym_rules() -> list[tuple[str, list[str], bool]]:
    """The editors' synonyms: each term, its synonyms, and whether they are an equivalence group
    (searched for when the term is typed), in one query."""
    from django.core.cache import cache

    from .models import SYNONYMS_CACHE_KEY, SearchSynonym

    try:
        cached = cache.get(SYNONYMS_CACHE_KEY)
    except Exception:  # noqa: BLE001 - without the cache, read the table
        cached = None
    if cached is not None:
        return cached
    # Sorted here, by code point, not by the database: PostgreSQL's collation and SQLite's
    # binary order differ, and the order decides which rule a word shared by two rules counts for.
    rules = [(synonym.term, synonym.variants(), synonym.mutual) for synonym in SearchSynonym.objects.all()]
    rules = sorted(rules, key=lambda rule: rule[0])
    with suppress(Exception):  # an unwritable cache: read the table next time too
        cache.set(SYNONYMS_CACHE_KEY, rules, 60 * 60)
    return rules


def _matches(trigger: str, compact: str, tokens: set[str]) -> bool:
    trigger = trigger.replace(" ", "")
    if not trigger:
        return False
    if not trigger.isascii():
        return trigger in compact
    return trigger in tokens


def analyse_query(
    query_string: str,
    *,
    synonyms: list[tuple[str, list[str]]] | None = None,
    corrections: bool = True,
) -> AnalysedQuery:
    """Normalise (simplified characters, Taiwan/Hong Kong words), segment, drop question words,
    then add what the dictionary and the editors' synonyms say, and corrections of pinyin and
    homophone typos from the index's own words."""
    text = normalise(to_simplified(unicodedata.normalize("NFKC", query_string or "")))[:200]
    tokens = words(text)
    terms = [token for token in tokens if token not in QUESTION_WORDS] or tokens
    terms = list(dict.fromkeys(terms))
    mutual: set[str] = set()
    if synonyms is None:
        rules_of_editors = synonym_rules()
        synonyms = [(term, variants) for term, variants, _mutual in rules_of_editors]
        mutual = {term for term, _variants, is_mutual in rules_of_editors if is_mutual}
    compact = text.replace(" ", "")
    token_set = set(tokens)
    expansions: list[str] = []
    groups: dict[str, str] = {}
    used: list[str] = []
    rules = list(vocabulary_rules())
    for term, variants in synonyms:
        rules.append((tuple(variants), (term,)))
        if term in mutual:
            rules.append(((term,), tuple(variants)))
    stands_for: dict[str, set[str]] = {}
    for triggers, targets in rules:
        matched = [trigger.replace(" ", "") for trigger in triggers if _matches(trigger, compact, token_set)]
        if matched:
            for target in targets:
                for word in words(target):
                    if word not in QUESTION_WORDS:
                        expansions.append(word)
                        groups.setdefault(word, targets[0])
            used.append(targets[0])
            # The typed words this rule was triggered by (those inside a matched trigger).
            stands_for.setdefault(targets[0], set()).update(
                term for term in terms if any(term in trigger for trigger in matched)
            )
    query = AnalysedQuery(
        text=text,
        raw=query_string.strip(),
        terms=terms,
        expansions=[word for word in dict.fromkeys(expansions) if word not in terms],
        synonyms_used=list(dict.fromkeys(used)),
        groups=groups,
        stands_for=stands_for,
        editor_synonyms=synonyms,
    )
    cut = [token for token in words(text, for_search=False) if token not in QUESTION_WORDS]
    query.phrases = list(zip(cut, cut[1:], strict=False))
    if corrections:
        correct(query)
    return query


def search_pages(
    query_string: str,
    *,
    page_type: str | None = None,
    site: Site | None = None,
    limit: int = CANDIDATE_LIMIT,
    synonyms: list[tuple[str, list[str]]] | None = None,
) -> SearchOutcome:
    """Live, public pages matching ``query_string``, best first; ``page_type`` is "app.model".

    The ranking index gives the order (``search.ranking``); the live, public pages of the site
    among them are kept, checked in chunks, until ``limit`` are found.
    """
    query = analyse_query(query_string, synonyms=synonyms)
    if not query:
        return SearchOutcome(query=query, results=[], page_types=[])
    pages = Page.objects.live().public().filter(depth__gt=1)
    if site is not None:
        pages = pages.in_site(site)
    promotions = promoted(query)
    promoted_ids = {promotion.page_id for promotion in promotions if promotion.page_id}
    # Every word's page count, in one query at most (the corrections have usually counted them):
    # which added words stand in for a typed word depends on the typed words' counts.
    document_frequencies(query.all_terms, query.frequencies)
    ranked, query.found = rank_ids(query.weighted(), phrases=query.phrases, frequencies=query.frequencies)
    ranked = [page_id for page_id in ranked if page_id not in promoted_ids]
    kept: list[tuple[int, int]] = []
    for start in range(0, len(ranked), CHECK_CHUNK):
        if len(kept) >= limit:
            break
        chunk = ranked[start : start + CHECK_CHUNK]
        allowed = dict(pages.filter(pk__in=chunk).values_list("pk", "content_type"))
        kept += [(page_id, allowed[page_id]) for page_id in chunk if page_id in allowed]
    kept = kept[:limit]
    models = {content_type: _model_of(content_type) for content_type in {pair[1] for pair in kept}}
    counts = Counter(_type_key(models[content_type]) for _page_id, content_type in kept)
    labels = {_type_key(model): str(model._meta.verbose_name_plural) for model in models.values()}
    page_types = [PageType(key, labels[key], count) for key, count in counts.most_common()]
    if page_type:
        kept = [pair for pair in kept if _type_key(models[pair[1]]) == page_type]
    return SearchOutcome(query=query, results=Results(kept), page_types=page_types, promotions=promotions)


def _model_of(content_type_id: int) -> type[Page]:
    return ContentType.objects.get_for_id(content_type_id).model_class() or Page  # Page: its app is gone


def _type_key(model: type[Page]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


class Results(Sequence):
    """The ranked pages, loaded as their specific models only when read: the search page shows
    ten of up to ``CANDIDATE_LIMIT``, so only those ten are loaded (one query per page type)."""

    def __init__(self, ranked: list[tuple[int, int]]):
        self.ranked = ranked
        self.loaded: dict[int, Page] = {}

    def __len__(self) -> int:
        return len(self.ranked)

    @property
    def ids(self) -> list[int]:
        return [page_id for page_id, _type in self.ranked]

    def _load(self, pairs: list[tuple[int, int]]) -> None:
        by_type = defaultdict(list)
        for page_id, content_type in pairs:
            if page_id not in self.loaded:
                by_type[content_type].append(page_id)
        for content_type, ids in by_type.items():
            model = _model_of(content_type)
            self.loaded.update((page.pk, page) for page in model._default_manager.filter(pk__in=ids))

    @overload
    def __getitem__(self, index: int) -> Page: ...

    @overload
    def __getitem__(self, index: slice) -> list[Page]: ...

    def __getitem__(self, index):
        pairs = self.ranked[index] if isinstance(index, slice) else [self.ranked[index]]
        self._load(pairs)
        pages = [self.loaded[page_id] for page_id, _type in pairs if page_id in self.loaded]
        return pages if isinstance(index, slice) else pages[0]

    def __iter__(self) -> Iterator[Page]:
        return iter(self[:])


def body_text(page: Page) -> str:
    """The page's body search text, worked out once per page object (snippets, retention)."""
    text = page.__dict__.get("_search_body_text")
    if text is None:
        text = page.__dict__["_search_body_text"] = raw_search_text(page)
    return text


def specific_pages(pages: list[Page]) -> list[Page]:
    """``pages`` as their specific models, in the same order: one query per page type."""
    by_type = defaultdict(list)
    for page in pages:
        by_type[page.content_type_id].append(page.pk)
    loaded: dict[int, Page] = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page  # Page: its app is gone
        loaded.update((page.pk, page) for page in model._default_manager.filter(pk__in=ids))
    return [loaded[page.pk] for page in pages if page.pk in loaded]


def type_key(page: Page) -> str:
    return f"{page._meta.app_label}.{page._meta.model_name}"


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
    """Pages whose title words start with what has been typed so far (the last word a prefix);
    when none does, the best pages for the words typed."""
    text = normalise(query_string)
    tokens = [token for token in words(text, for_search=False) if token not in QUESTION_WORDS]
    if not tokens:
        return []
    pages = Page.objects.live().public().filter(depth__gt=1)
    if site is not None:
        pages = pages.in_site(site)
    found = list(pages.autocomplete(" ".join(tokens))[:limit])
    if not found:
        # No title word starts so: the best pages of the ranking index for the words typed (its
        # B-tree, bounded reads), not Wagtail's title+body match, which reads every index row.
        typed = [word for word in words(text) if word not in QUESTION_WORDS]
        ranked, _found = rank_ids([WeightedTerm(word, 1.0) for word in dict.fromkeys(typed)])
        top = ranked[:CHECK_CHUNK]
        allowed = pages.in_bulk(top)
        found = [allowed[page_id] for page_id in top if page_id in allowed][:limit]
    return found
