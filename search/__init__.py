"""Site search that works for Chinese, ranked by a model and measured on content nobody tuned it on.

- ``analysis``: jieba segmentation (dictionary loaded once, lazily, plus ``dictionary.txt`` of the
  site's words), punctuation dropped, full-width normalised; queries with traditional characters
  go through OpenCC (``tw2sp``: Taiwan usage too).
- ``fields``: ``chinese_search_fields()`` gives any page model segmented title/body search fields.
  Courses, lessons, library and alliance pages opt in with one line, e.g.::

      search_fields = chinese_search_fields("intro", "body")

  Fields named ``summary`` or ``intro`` rank as the summary, the others as the body; topics/tags
  rank as keywords when the page defines ``search_keywords(self) -> list[str]``.
  Run ``manage.py update_index`` once after switching a model over.
- ``backend`` / ``postings``: Wagtail's database backend, which also writes the ranking index
  (``SearchDocument``, ``SearchPosting``, ``SearchWord``) whenever it indexes a page.
- ``ranking``: BM25F over that index (per-field weights and length normalisation, proximity
  bonus, page-id tie-break), the same on SQLite and PostgreSQL, bounded per word.
- ``vocabulary.txt`` / ``vocabulary``: the dictionary of what parents type (colloquial words,
  abbreviations, regional words), equivalence groups and one-way expansions, editable as data;
  ``models.SearchSynonym``: the editors' own synonyms (one way, or both ways with ``mutual``).
- ``corrections``: toneless pinyin and homophone typos, corrected from the index's own words
  (pypinyin), offered as 「您是不是要找」.
- ``query``: analysis, expansions, promotions, results and snippets; ``views`` / ``urls``:
  ``/search/`` and ``/search/suggest/``.
- ``retention`` / ``tasks``: what is kept of searches (stored searches; searches that found
  nothing, as keyed digests until several searches share them) and the daily purge;
  ``clicks``: daily counts of searches that found something and of those with a click on a
  result (posted by the results page to ``/search/click/``), under the same rules;
  ``admin_views``: the report of searches that found nothing or whose results nobody clicked
  (Reports menu).
- The index's figures (page count, average field lengths, word frequencies) and the editors'
  synonyms are kept in the shared cache (``ranking``: per index generation, renewed on every
  index write; ``models.SYNONYMS_CACHE_KEY``: cleared when a synonym is saved or deleted).

Quality is measured on ``tests/search/evaluation`` (articles and judged queries written for it,
split into a tuning and a test half): ``make bench-search`` and ``tests/search/test_evaluation.py``.

The synonyms' table keeps the ``home_searchsynonym`` name it had before the app moved out of
``home`` (see ``migrations/0001_initial.py``).
"""
