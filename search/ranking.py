"""BM25F over the ranking index: the model that orders search results.

For each query word ``t`` with weight ``q`` (1 for a word the parent typed, ``EXPANSION_WEIGHT``
for a synonym, dictionary word or correction) and each page ``d``::

    tf~(t, d) = sum over fields f of  w_f * tf(t, d, f) / (1 - b_f + b_f * len(d, f) / avglen(f))
    score(d)  = sum over t of  q * idf(t) * tf~ * (k1 + 1) / (k1 + tf~)  +  proximity bonus
    idf(t)    = ln(1 + (N - df + 0.5) / (df + 0.5))

An expansion's idf is capped at the largest idf of the typed words found, and the words one
dictionary entry or synonym adds count once per page (the best of them), so expansions do not
outweigh what was typed. Words added for a typed word that no page holds (emo, a game's name)
have nothing to outweigh: they stand in for it at weight 1 (``AnalysedQuery.standing_in``),
still counted once per page for their entry. The proximity bonus rewards pages where two words typed next to
each other also stand together (in the title, summary or body); it is computed for the first
``PROXIMITY_DEPTH`` pages only. Ties are broken by page id, and scores are rounded before they
are compared, so SQLite and PostgreSQL give the same order.

Bounded: a word's rows are read best first (``impact``) and at most ``MAX_POSTINGS`` of them,
all words' rows in one query. ``N``, ``avglen`` and ``df`` come from the shared cache, counted
once per index generation (``forget_stats``, on every index write). The sums are done here, in
one fixed order, not by the database: SQLite and PostgreSQL then give bit-identical scores.
"""

from __future__ import annotations

import hashlib
import logging
import math
import uuid
from dataclasses import dataclass

from django.db import models
from django.db.models import Avg, Count

logger = logging.getLogger(__name__)

FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.5, "summary": 1.5, "body": 1.0}
FIELD_B = {"title": 0.3, "keywords": 0.3, "summary": 0.6, "body": 0.75}
K1 = 1.2
EXPANSION_WEIGHT = 0.35
PROXIMITY_WEIGHT = 0.5
PROXIMITY_DEPTH = 60
MAX_POSTINGS = 1500

STATS_SECONDS = 60 * 60
GENERATION_KEY = "search:index-generation"


def _cache():
    from django.core.cache import cache

    return cache


def _generation() -> str:
    """The index's current generation: every write of the index makes a new one, so figures
    cached under an older one are never read again (they expire)."""
    try:
        generation = _cache().get(GENERATION_KEY)
        if generation is None:
            generation = uuid.uuid4().hex[:12]
            _cache().add(GENERATION_KEY, generation, timeout=None)
            generation = _cache().get(GENERATION_KEY) or generation
        return str(generation)
    except Exception:  # noqa: BLE001 - without the cache the figures are counted each time
        logger.warning("Search statistics: cache unreadable, counting", exc_info=True)
        return ""


def _cached(generation: str, keys: dict[str, str]) -> dict[str, object]:
    if not generation:
        return {}
    try:
        found = _cache().get_many([f"search:{generation}:{key}" for key in keys.values()])
    except Exception:  # noqa: BLE001
        logger.warning("Search statistics: cache unreadable, counting", exc_info=True)
        return {}
    full = {name: f"search:{generation}:{key}" for name, key in keys.items()}
    return {name: found[key] for name, key in full.items() if key in found}


def _keep(generation: str, values: dict[str, object]) -> None:
    if not generation:
        return
    try:
        _cache().set_many({f"search:{generation}:{key}": value for key, value in values.items()}, STATS_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("Search statistics: cache unwritable", exc_info=True)


def _term_key(term: str) -> str:
    return "df:" + hashlib.sha256(term.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class WeightedTerm:
    """A query word and its weight; words of one ``group`` (the words one dictionary entry or
    synonym adds) count once per page, by the best of them, so a rule that adds three words does
    not weigh three times."""

    term: str
    weight: float
    group: str = ""


def collection_stats() -> tuple[int, dict[str, float]]:
    """Pages in the index and each field's average length: counted once per index generation
    (kept in the shared cache, so every process reads them without a database query)."""
    from .models import SearchDocument

    generation = _generation()
    cached = _cached(generation, {"stats": "stats"}).get("stats")
    if cached is not None:
        return cached  # type: ignore[return-value]
    figures = SearchDocument.objects.aggregate(
        count=Count("pk"), **{name: Avg(f"{name}_length") for name in FIELD_WEIGHTS}
    )
    value = (figures["count"] or 0, {name: max(1.0, float(figures[name] or 0)) for name in FIELD_WEIGHTS})
    _keep(generation, {"stats": value})
    return value


def forget_stats() -> None:
    """A new index generation: called whenever the index is written (``search.postings``), and
    again when that write commits, so that nothing counted before the commit is kept."""
    try:
        _cache().set(GENERATION_KEY, uuid.uuid4().hex[:12], timeout=None)
    except Exception:  # noqa: BLE001
        logger.warning("Search statistics: cache unwritable, generation not renewed", exc_info=True)


def idf(documents: int, frequency: int) -> float:
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def document_frequencies(terms, known: dict[str, int] | None = None) -> dict[str, int]:
    """How many pages of the index hold each of ``terms`` (0 for none): from the shared cache
    (per index generation), the others in one query; ``known`` keeps what an earlier call of the
    same search counted (corrections count first)."""
    from .models import SearchPosting

    known = {} if known is None else known
    missing = sorted(set(terms) - known.keys())
    if missing:
        generation = _generation()
        cached = _cached(generation, {term: _term_key(term) for term in missing})
        known.update(cached)  # type: ignore[arg-type]
        missing = [term for term in missing if term not in cached]
    if missing:
        counts = dict(
            SearchPosting.objects.filter(term__in=missing)
            .values_list("term")
            .annotate(count=Count("*"))
            .values_list("term", "count")
        )
        counted = {term: counts.get(term, 0) for term in missing}
        known.update(counted)
        _keep(generation, {_term_key(term): count for term, count in counted.items()})
    return {term: known[term] for term in terms}


def _best_postings(term: str, columns: tuple[str, ...]) -> models.QuerySet:
    """A common word's ``MAX_POSTINGS`` best rows, by impact then page id, as a part of the
    UNION ALL. SQLite allows no LIMIT in a part of a compound statement (Django refuses it):
    there the part selects the rows whose ids a limited subquery names, the same rows."""
    from django.db import connection

    from .models import SearchPosting

    best = SearchPosting.objects.filter(term=term).order_by("-impact", "document_id")
    if connection.features.supports_slicing_ordering_in_compound:
        return best.values_list(*columns)[:MAX_POSTINGS]
    return SearchPosting.objects.filter(pk__in=best.values("pk")[:MAX_POSTINGS]).values_list(*columns)


def rank_ids(
    terms: list[WeightedTerm],
    *,
    phrases: list[tuple[str, str]] | None = None,
    frequencies: dict[str, int] | None = None,
) -> tuple[list[int], set[str]]:
    """Page ids of the ranking index, best first, and the words that were found at all."""
    from .models import SearchPosting

    weights: dict[str, float] = {}
    groups: dict[str, str] = {}
    for item in terms:
        if item.term and item.weight >= weights.get(item.term, 0.0):
            weights[item.term] = item.weight
            groups[item.term] = item.group  # typed words have none; added ones count once per group
    if not weights:
        return [], set()
    documents, average = collection_stats()
    frequencies = document_frequencies(list(weights), frequencies)
    found = {term for term, count in frequencies.items() if count}
    if not found:
        return [], set()
    documents = max(documents, max(frequencies.values()))
    idfs = {term: idf(documents, frequencies[term]) for term in found}
    typed = [idfs[term] for term in found if weights[term] >= 1]
    cap = max(typed) if typed else None
    factor = {
        term: weights[term] * (idfs[term] if cap is None or weights[term] >= 1 else min(idfs[term], cap))
        for term in found
    }

    columns = (
        "document_id",
        "term",
        "title",
        "keywords",
        "summary",
        "body",
        "title_length",
        "keywords_length",
        "summary_length",
        "body_length",
    )
    # Words in fewer than MAX_POSTINGS pages: all their rows in one query. A more common word
    # (孩子 on a big site): its MAX_POSTINGS best rows, by impact then page id.
    # All in one query (a UNION ALL of the two kinds).
    rare = sorted(term for term in found if frequencies[term] <= MAX_POSTINGS)
    parts = [SearchPosting.objects.filter(term__in=rare).values_list(*columns)] if rare else []
    parts += [_best_postings(term, columns) for term in sorted(found - set(rare))]
    rows = list(parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])
    scores: dict[int, float] = {}
    grouped: dict[tuple[int, str], float] = {}
    # Summed in one order whatever order the database returned the rows in: floating-point
    # sums in another order may differ in the last bit, and ties are decided after rounding.
    rows.sort(key=lambda row: (row[0], row[1]))
    for page_id, term, *rest in rows:
        frequencies_by_field, lengths = rest[:4], rest[4:]
        pseudo = 0.0
        for (name, weight), frequency, length in zip(FIELD_WEIGHTS.items(), frequencies_by_field, lengths, strict=True):
            if frequency:
                b = FIELD_B[name]
                pseudo += weight * frequency / (1 - b + b * length / average[name])
        score = factor[term] * pseudo * (K1 + 1) / (K1 + pseudo)
        if groups[term]:
            key = (page_id, groups[term])
            grouped[key] = max(grouped.get(key, 0.0), score)
        else:
            scores[page_id] = scores.get(page_id, 0.0) + score
    for (page_id, _group), score in sorted(grouped.items()):
        scores[page_id] = scores.get(page_id, 0.0) + score

    ordered = sorted(scores, key=lambda page_id: (-round(scores[page_id], 6), page_id))
    phrases = [(first, second) for first, second in phrases or [] if first in found and second in found]
    if phrases:
        top = ordered[:PROXIMITY_DEPTH]
        for page_id, *held in _phrases_held(top, phrases):
            for (first, second), present in zip(phrases, held, strict=True):
                if present:
                    scores[page_id] += PROXIMITY_WEIGHT * min(idfs[first], idfs[second])
        ordered = sorted(top, key=lambda page_id: (-round(scores[page_id], 6), page_id)) + ordered[PROXIMITY_DEPTH:]
    return ordered, found


def _phrases_held(page_ids: list[int], phrases: list[tuple[str, str]]) -> list[tuple]:
    """For each of ``page_ids``: its id, then for each phrase whether the page's text (its fields
    joined, spaces removed) holds the two words side by side; worked out by the database, which
    sends back these flags instead of the pages' text."""
    from django.db.models import BooleanField, Case, Value, When
    from django.db.models.functions import Concat, Replace

    from .models import SearchDocument

    text: models.TextField[str, str] = models.TextField()
    joined = Replace(
        Concat("title", "keywords", "summary", "body", output_field=text), Value(" "), Value(""), output_field=text
    )
    flags = {
        f"phrase_{index}": Case(
            When(joined__contains=first + second, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
        for index, (first, second) in enumerate(phrases)
    }
    return list(
        SearchDocument.objects.filter(page_id__in=page_ids)
        .annotate(joined=joined, **flags)
        .order_by("page_id")
        .values_list("page_id", *flags)
    )
