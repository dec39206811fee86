"""The search evaluation set: articles written for it, and the queries parents type, judged.

``articles.json`` holds library articles written for this evaluation only (not the demo content,
not the pages of ``tests/search/corpus.py``); most have no topics, as most articles an editor
writes. ``queries.json`` holds what parents type — questions, colloquial words, abbreviations
(双减, 家暴), synonyms, toneless pinyin, Traditional Chinese with Taiwan/Hong Kong vocabulary,
homophone typos, Chinese mixed with English words and product names — each with its kind, the
half it belongs to and the pages that answer it, graded (2: the page that answers it, 1: a page
that also helps).

The split into a ``tune`` half and a ``test`` half was made once, before any ranking change (by
kind, ordered by a hash of the query text, alternating), and committed; ranking work looks at
the tuning half only. ``make bench-search`` reports both halves; CI holds a floor on the test
half (``tests/search/test_evaluation.py``).

Metrics, per query then averaged: recall@5 is the share of the grade-2 pages among the first
five results; MRR the reciprocal rank of the first relevant page (0 when none is in the first
ten); nDCG@10 uses gains 2^grade - 1. "Evaluation articles only" scores the result list with
every other page removed; "with the other pages" scores it as a parent sees it.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP = 5
DEPTH = 10
HALVES = ("tune", "test")


@dataclass(frozen=True)
class Judged:
    query: str
    kind: str
    split: str
    relevant: dict[str, int]


def articles() -> list[dict]:
    return json.loads((HERE / "articles.json").read_text(encoding="utf-8"))


def queries(split: str | None = None) -> list[Judged]:
    rows = json.loads((HERE / "queries.json").read_text(encoding="utf-8"))
    judged = [Judged(row["query"], row["kind"], row["split"], dict(row["relevant"])) for row in rows]
    return [item for item in judged if split is None or item.split == split]


def load_articles(parent) -> dict[str, int]:
    """Publishes the evaluation articles as library resources below ``parent``; slug -> page id."""
    from django.utils.text import slugify

    from library.models import ResourceKind, ResourcePage
    from taxonomy.models import Topic

    pages = {}
    for number, article in enumerate(articles()):
        page = ResourcePage(
            title=article["title"],
            slug=article["slug"],
            kind=ResourceKind.ARTICLE,
            summary=article["summary"],
            body=json.dumps([{"type": "paragraph", "value": f"<p>{article['body']}</p>"}], ensure_ascii=False),
            source="评测文章",
        )
        parent.add_child(instance=page)
        names = article.get("topics") or []
        if names:
            topics = [
                Topic.objects.get_or_create(
                    name=name, defaults={"slug": slugify(f"ev-{number}-{name}") or f"ev-{number}"}
                )[0]
                for name in names
            ]
            page.topics.set(topics)
            page.save()
        pages[article["slug"]] = page.pk
    return pages


@dataclass
class Scores:
    recall: float = 0.0
    mrr: float = 0.0
    ndcg: float = 0.0
    count: int = 0
    misses: list[tuple[str, list[str]]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"recall@5": self.recall, "mrr": self.mrr, "ndcg@10": self.ndcg, "queries": self.count}


def judge(ranked: list[str], relevant: dict[str, int]) -> tuple[float, float, float]:
    """recall@5, reciprocal rank and nDCG@10 of one ranked list of slugs."""
    best = max(relevant.values())
    wanted = {slug for slug, grade in relevant.items() if grade == best}
    recall = len(wanted & set(ranked[:TOP])) / len(wanted)
    reciprocal = next((1 / rank for rank, slug in enumerate(ranked[:DEPTH], 1) if slug in relevant), 0.0)
    gain = sum((2 ** relevant.get(slug, 0) - 1) / math.log2(rank + 1) for rank, slug in enumerate(ranked[:DEPTH], 1))
    ideal = sum(
        (2**grade - 1) / math.log2(rank + 1)
        for rank, grade in enumerate(sorted(relevant.values(), reverse=True)[:DEPTH], 1)
    )
    return recall, reciprocal, gain / ideal


def evaluate(
    ranked_ids: Callable[[str], list[int]],
    pages: dict[str, int],
    items: Iterable[Judged],
    *,
    only_evaluation: bool,
) -> dict[str, Scores]:
    """Scores per half, per kind (``kind:<name>``) and over all (``all``) for ``items``.

    ``ranked_ids(query)`` is the search under test: page ids, best first. ``pages`` maps the
    evaluation articles' slugs to their ids; with ``only_evaluation`` every other page is taken
    out of the list before it is scored.
    """
    slugs = {pk: slug for slug, pk in pages.items()}
    totals: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    misses: dict[str, list] = defaultdict(list)
    for item in items:
        ids = ranked_ids(item.query)
        if only_evaluation:
            ids = [pk for pk in ids if pk in slugs]
        ranked = [slugs.get(pk, f"other:{pk}") for pk in ids[:DEPTH]]
        figures = judge(ranked, item.relevant)
        for key in (item.split, f"kind:{item.kind}", "all"):
            totals[key].append(figures)
            if figures[0] < 1:
                misses[key].append((item.query, ranked[:TOP]))
    return {
        key: Scores(
            recall=sum(row[0] for row in rows) / len(rows),
            mrr=sum(row[1] for row in rows) / len(rows),
            ndcg=sum(row[2] for row in rows) / len(rows),
            count=len(rows),
            misses=misses[key],
        )
        for key, rows in totals.items()
    }
