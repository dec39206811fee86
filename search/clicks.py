"""Searches whose results nobody clicked: daily counts of searches and of searches with a click.

A search that found something (results or a promoted result) is counted on its first results
page under the keyed digest of its text (``search.retention.count_search``: same text rules and
the same reveal-after-``REVEAL_AFTER`` rule as searches that found nothing). The results page
carries that digest; the page's script posts it once per results page, on the first click on a
result, to ``/search/click/`` (``views.click``). Nothing else is kept: not who searched or
clicked, not which result, not the address. The rows expire with the others
(``retention.purge_search_queries``).
"""

from __future__ import annotations

import datetime
import re

from django.db.models import F, Sum
from django.utils import timezone

from . import retention
from .query import SearchOutcome

DIGEST = re.compile(r"[0-9a-f]{64}")


def answered(outcome: SearchOutcome | None) -> bool:
    return outcome is not None and bool(outcome.query) and bool(outcome.results or outcome.promotions)


def click_digest(outcome: SearchOutcome | None) -> str:
    """The digest the results page posts on a click; ``""`` when the search is not counted."""
    text = retention.countable_text(outcome) if answered(outcome) else ""
    return retention.keyed_digest(text) if text else ""


def record_answered(outcome: SearchOutcome | None, *, today: datetime.date | None = None) -> str:
    """Counts a search that found something; returns its digest (``""`` when not counted)."""
    from .models import AnsweredSearch

    text = retention.countable_text(outcome) if answered(outcome) else ""
    return retention.count_search(AnsweredSearch, text, today=today) if text else ""


def record_click(digest: str, *, today: datetime.date | None = None) -> bool:
    """Counts one search with a click for ``digest``: on the latest of today's or yesterday's rows
    (a search just before midnight) that has more searches than clicks. False when there is none:
    a digest nobody searched today cannot be counted, nor more clicks than searches."""
    from .models import AnsweredSearch

    if not DIGEST.fullmatch(digest or ""):
        return False
    today = today or timezone.localdate()
    row = (
        AnsweredSearch.objects.filter(
            digest=digest, date__gte=today - datetime.timedelta(days=1), date__lte=today, clicked__lt=F("searches")
        )
        .order_by("-date")
        .values_list("pk", flat=True)
        .first()
    )
    if row is None:
        return False
    return bool(AnsweredSearch.objects.filter(pk=row, clicked__lt=F("searches")).update(clicked=F("clicked") + 1))


def unclicked_report(*, limit: int = 50) -> list[dict]:
    """The readable texts whose searches most often led to no click in the retention period:
    ``searches``, ``clicked`` and ``unclicked`` (searches without a click), most unclicked first."""
    from .models import AnsweredSearch

    rows = (
        AnsweredSearch.objects.exclude(text="")
        .values("text")
        .annotate(searches=Sum("searches"), clicked=Sum("clicked"))
        .annotate(unclicked=F("searches") - F("clicked"))
        .filter(unclicked__gt=0)
        .order_by("-unclicked", "text")[:limit]
    )
    return list(rows)
