"""Corrections from the index's own words: toneless pinyin, and homophone typos.

- A run of Latin letters that is not a word of the index is read as pinyin: it is covered, left
  to right, by the longest words of the index whose pinyin it spells (``wangluo baling`` ->
  网络 霸凌).
- A run of two to four Chinese characters that is not a word of the index, and is not part of a
  longer word of the query that is, is replaced by a word of the index with the same pinyin that
  keeps at least one of its characters in place (早练 -> 早恋, 抑欲症 -> 抑郁症).

Among words with the same pinyin the most frequent in the index wins (then the first in
dictionary order). Corrections are added to the query as expansions (they weigh less than what
was typed) and make ``corrected``, the text offered as 「您是不是要找」.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from .query import AnalysedQuery

_LATIN = re.compile(r"[a-z]+(?: [a-z]+)*")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
MAX_PINYIN = 40
MAX_HAN = 30


def _frequent(candidates: dict[str, list[str]], counts: dict[str, int]) -> dict[str, str]:
    """For each key, its candidate word that occurs in most pages of the index."""
    chosen = {}
    for key, words in candidates.items():
        present = [word for word in words if counts.get(word)]
        if present:
            chosen[key] = sorted(present, key=lambda word: (-counts[word], word))[0]
    return chosen


def _pinyin_cover(spelled: str, words_by_pinyin: dict[str, str]) -> list[str] | None:
    """The fewest words whose pinyin, in order, spell ``spelled``; None when they cannot."""
    best: list[list[str] | None] = [None] * (len(spelled) + 1)
    best[0] = []
    for end in range(1, len(spelled) + 1):
        for start in range(end):
            before = best[start]
            word = words_by_pinyin.get(spelled[start:end])
            if before is not None and word is not None:
                option = [*before, word]
                if best[end] is None or len(option) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = option
    return best[len(spelled)]


def correct(query: AnalysedQuery) -> None:
    """Adds corrections to ``query`` (``corrections`` and ``corrected``) in two queries at most:
    the index's words for the query's pinyin, then how many pages hold each of them and each of
    the query's words (kept in ``query.frequencies``, which the ranking reads)."""
    from .models import SearchWord
    from .postings import pinyin_of
    from .ranking import document_frequencies

    text = query.text
    latin = [match.group(0) for match in _LATIN.finditer(text) if len(match.group(0).replace(" ", "")) <= MAX_PINYIN]
    spans = []
    for run in _HAN.findall(text)[:3]:
        run = run[:MAX_HAN]
        for size in (2, 3, 4):
            spans += [run[start : start + size] for start in range(len(run) - size + 1)]
    latin_keys = {chunk: chunk.replace(" ", "") for chunk in latin}
    span_pinyin = {span: pinyin_of(span) for span in spans}
    latin_parts = {
        key[start:end]
        for key in latin_keys.values()
        for start in range(len(key))
        for end in range(start + 2, len(key) + 1)
    }
    wanted = latin_parts | set(span_pinyin.values())
    if not wanted:
        return
    asked = set(spans) | set(query.terms) | set(latin_keys.values())
    rows = list(SearchWord.objects.filter(Q(pinyin__in=wanted) | Q(word__in=asked)).values_list("word", "pinyin"))
    known = {word for word, _pinyin in rows if word in asked}
    by_pinyin: dict[str, list[str]] = {}
    for word, pinyin in rows:
        if pinyin in wanted:
            by_pinyin.setdefault(pinyin, []).append(word)
    counts = document_frequencies(
        {word for words in by_pinyin.values() for word in words} | set(query.terms) | set(query.expansions),
        query.frequencies,
    )

    chosen = _frequent(by_pinyin, counts)
    replacements: list[tuple[str, str]] = []
    for chunk, key in latin_keys.items():
        if key in known:
            continue
        cover = _pinyin_cover(key, chosen)
        if cover:
            replacements.append((chunk, "".join(cover)))
            query.corrections += cover
    known_terms = [term for term in query.terms if term in known and len(term) > 1]
    taken: list[str] = []
    for span in sorted(spans, key=len, reverse=True):
        if span in known or any(span in term for term in known_terms) or any(span in done for done in taken):
            continue
        candidates = [
            word
            for word in by_pinyin.get(span_pinyin[span], [])
            if len(word) == len(span) and word != span and any(a == b for a, b in zip(word, span, strict=True))
        ]
        if not candidates:
            continue
        replacement = _frequent({span: candidates}, counts).get(span)
        if replacement:
            replacements.append((span, replacement))
            query.corrections.append(replacement)
            taken.append(span)
    if replacements:
        corrected = text
        for before, after in replacements:
            corrected = corrected.replace(before, after)
        query.corrected = corrected
        query.corrections = [word for word in dict.fromkeys(query.corrections) if word not in query.terms]
