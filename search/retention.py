"""What the site keeps of what people search for: only what search tuning needs, for a bounded time.

Parents type whatever worries them, children's names and phone numbers included. Editors
need the popular searches to add synonyms and promoted results, nothing more. So a search
is stored (Wagtail's ``search_promotions`` ``Query``/``QueryDailyHits``) only when all of
these hold:

* it found something (a search that found nothing teaches no synonym a page could answer);
* every word of it is the site's vocabulary: it occurs in a page the search found, or it is
  one of the editors' synonyms — so a name that appears on no page is never stored;
* it holds no digit (phone numbers, ID-card numbers, student numbers, dates of birth, in
  any script), no ``@`` (e-mail addresses), and is at most ``MAX_QUERY_LENGTH`` characters
  after normalisation (long free text is a story, not a search term);
* what is stored is the normalised text (simplified, lower case), never the raw input.

A stored search lives ``SEARCH_QUERY_RETENTION_DAYS`` (default 30): ``purge_search_queries``
(a Celery beat task in ``search.tasks``) deletes older daily hits, re-checks every remaining
query against the rules above (which also cleans rows stored before the rules existed), and
drops queries left without hits. A query an editor attached a promotion to is the editor's,
not a parent's, and is kept.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import unicodedata

from django.conf import settings
from django.utils import timezone

from .analysis import normalise
from .models import SearchDocument
from .postings import FIELDS
from .query import Results, SearchOutcome, search_pages

MAX_QUERY_LENGTH = 30
# Searches that found nothing: the text becomes readable once this many searches in the retention
# period typed it (before that only its keyed digest is kept).
REVEAL_AFTER = 3
# Results whose documents are read first for the vocabulary rule (the first results page).
FIRST_READ = 10


def _has_personal_pattern(text: str) -> bool:
    return "@" in text or any(unicodedata.category(char) == "Nd" for char in text)


def result_ids(outcome: SearchOutcome) -> list[int]:
    results = outcome.results
    return list(results.ids) if isinstance(results, Results) else [page.pk for page in results]


def _vocabulary_known(outcome: SearchOutcome) -> bool:
    """Every typed word is an editors' synonym or stands in a field of a page the search found;
    the database answers with one flag per word (not the pages' text). The top ``FIRST_READ``
    results are read first (they nearly always hold every typed word: typed words weigh most),
    the rest only for the words still missing."""
    synonyms = outcome.query.editor_synonyms
    known = {normalise(term) for term, _variants in synonyms}
    known.update(variant for _term, variants in synonyms for variant in variants)
    unknown = [term for term in outcome.query.terms if term not in known]
    ids = result_ids(outcome)
    for part in (ids[:FIRST_READ], ids[FIRST_READ:]):
        if unknown and part:
            unknown = [term for term, held in zip(unknown, _held_in(part, unknown), strict=True) if not held]
    return not unknown


def _held_in(page_ids: list[int], terms: list[str]) -> list[bool]:
    """For each term, whether a field of one of these pages' ranking documents contains it."""
    from django.db.models import IntegerField, Max, Q, Value, When
    from django.db.models.expressions import Case

    flags = {
        f"term_{index}": Max(
            Case(
                When(Q(*(Q(**{f"{name}__contains": term}) for name in FIELDS), _connector=Q.OR), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        for index, term in enumerate(terms)
    }
    held = SearchDocument.objects.filter(page_id__in=page_ids).aggregate(**flags)
    return [bool(held[f"term_{index}"]) for index in range(len(terms))]


def recordable(outcome: SearchOutcome | None) -> str:
    """The text to store for this search, or ``""`` when the rules say store nothing."""
    if outcome is None or not outcome.results:
        return ""
    text = countable_text(outcome)
    return text if text and _vocabulary_known(outcome) else ""


def record(outcome: SearchOutcome | None) -> bool:
    """Counts a hit for the search when the rules allow it; True when something was stored."""
    from wagtail.contrib.search_promotions.models import Query

    text = recordable(outcome)
    if text:
        Query.get(text).add_hit()
    return bool(text)


def keyed_digest(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def countable_text(outcome: SearchOutcome | None) -> str:
    """The text a daily count may be kept for (found something or not): no digits or ``@``, at
    most ``MAX_QUERY_LENGTH`` characters; ``""`` when it may not."""
    if outcome is None or not outcome.query:
        return ""
    text = outcome.query.text
    if not text or len(text) > MAX_QUERY_LENGTH or _has_personal_pattern(outcome.query.raw + text):
        return ""
    return text


def count_search(model, text: str, *, today: datetime.date | None = None) -> str:
    """Adds one to today's row of ``text`` in ``model`` (``UnansweredSearch``, ``AnsweredSearch``),
    keyed by its digest; the text becomes readable once ``REVEAL_AFTER`` searches share it.
    Returns the digest."""
    from django.db.models import F, Sum

    digest = keyed_digest(text)
    today = today or timezone.localdate()
    row, _created = model.objects.get_or_create(digest=digest, date=today)
    model.objects.filter(pk=row.pk).update(searches=F("searches") + 1)
    rows = model.objects.filter(digest=digest)
    # Revealing writes the text into every row of the digest: a row with its text is past that.
    if not row.text and (rows.aggregate(total=Sum("searches"))["total"] or 0) >= REVEAL_AFTER:
        rows.update(text=text)
    return digest


def record_unanswered(outcome: SearchOutcome | None, *, today: datetime.date | None = None) -> bool:
    """Counts a search that found nothing (no result, no promotion); True when it was counted.

    Same text rules as stored searches, except the vocabulary one (a search that found nothing
    has words no page has): no digits or ``@``, at most ``MAX_QUERY_LENGTH`` characters.
    """
    from .models import UnansweredSearch

    if outcome is None or outcome.results or outcome.promotions:
        return False
    text = countable_text(outcome)
    if text:
        count_search(UnansweredSearch, text, today=today)
    return bool(text)


def unanswered_report(*, limit: int = 50) -> list[dict]:
    """The texts searched most often without a result in the retention period, readable ones only."""
    from django.db.models import Sum

    from .models import UnansweredSearch

    return list(
        UnansweredSearch.objects.exclude(text="")
        .values("text")
        .annotate(searches=Sum("searches"))
        .order_by("-searches", "text")[:limit]
    )


def retention_days() -> int:
    return max(1, int(getattr(settings, "SEARCH_QUERY_RETENTION_DAYS", 30)))


def purge_search_queries(today: datetime.date | None = None) -> dict[str, int]:
    """Deletes daily hits older than the retention period and every query the rules now refuse."""
    from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
    from wagtail.search.utils import normalise_query_string

    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=retention_days())
    from .models import AnsweredSearch, UnansweredSearch

    old_hits, _ = QueryDailyHits.objects.filter(date__lt=cutoff).delete()
    UnansweredSearch.objects.filter(date__lt=cutoff).delete()
    AnsweredSearch.objects.filter(date__lt=cutoff).delete()
    refused = []
    for query in Query.objects.filter(editors_picks__isnull=True, daily_hits__isnull=False).distinct():
        kept = recordable(search_pages(query.query_string))
        if not kept or normalise_query_string(kept) != query.query_string:
            refused.append(query.pk)
    Query.objects.filter(pk__in=refused).delete()
    empty = Query.objects.filter(daily_hits__isnull=True, editors_picks__isnull=True)
    emptied = empty.count()
    empty.delete()
    return {"old_hits": old_hits, "refused_queries": len(refused), "empty_queries": emptied}
