"""Site search that works for Chinese.

- ``analysis``: jieba segmentation (dictionary loaded once, lazily, plus ``dictionary.txt`` of the
  site's words), punctuation dropped, full-width and common traditional characters normalised.
- ``fields``: ``chinese_search_fields()`` gives any page model segmented title/body search fields.
  Courses, lessons, library and alliance pages opt in with one line, e.g.::

      search_fields = chinese_search_fields("intro", "body")

  and rank topics/tags like the title by defining ``search_keywords(self) -> list[str]``.
  Run ``manage.py update_index`` once after switching a model over.
- ``models.SearchSynonym``: the editors' synonym list, applied at query time.
- ``query``: analysis, synonyms, search promotions, ranking, snippets and suggestions.
- ``views`` / ``urls``: ``/search/`` and ``/search/suggest/``.
- ``tasks``: the daily purge of stored searches (``retention``).

The synonyms' table keeps the ``home_searchsynonym`` name it had before the app moved out of
``home`` (see ``migrations/0001_initial.py``).
"""
