"""Relevance ordering for SQLite FTS5 that scales (see ``search.backend``).

Imported only when the database is SQLite: modelsearch defines its FTS model only there.
"""

from __future__ import annotations

import re

from django.db.models import IntegerField
from django.db.models.functions import Cast

from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchResults,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks


def has_integer_pk(model) -> bool:
    field = model._meta.pk
    while field.is_relation:
        field = field.target_field
    return field.get_internal_type() in {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
    }


class RankedSQLiteSearchResults(SQLiteSearchResults):
    def _ranked_ids(self) -> list[int] | None:
        """Matching primary keys of the filtered queryset, best first; None to use the default."""
        compiler = self.query_compiler
        if not compiler.order_by_relevance or self._score_field is not None:
            return None
        if not has_integer_pk(compiler.queryset.model):
            return None
        query = normalize(compiler.query)
        if isinstance(query, MatchAll | Not):
            return None
        if not hasattr(self, "_ranked_ids_cache"):
            config = compiler.get_config(self.backend)
            match = MatchExpression(
                compiler.fields or compiler.FTS_TABLE_FIELDS, compiler.build_search_query(query, config=config)
            )
            scored = (
                SQLiteFTSIndexEntry.objects.filter(match)
                .filter(index_entry__content_type__in=get_descendants_content_types_pks(compiler.queryset.model))
                .annotate(score=compiler._build_rank_expression(compiler.get_search_vectors(), config))
                .order_by("score")
                .values_list("index_entry__object_id", flat=True)
            )
            ranked = [int(object_id) for object_id in scored]
            allowed = set(
                compiler.queryset.filter(
                    pk__in=SQLiteFTSIndexEntry.objects.filter(match)
                    .annotate(object_pk=Cast("index_entry__object_id", IntegerField()))
                    .values("object_pk")
                ).values_list("pk", flat=True)
            )
            self._ranked_ids_cache = [pk for pk in dict.fromkeys(ranked) if pk in allowed]
        return self._ranked_ids_cache

    def _do_search(self):
        ranked = self._ranked_ids()
        if ranked is None:
            return super()._do_search()
        wanted = ranked[self.start : self.stop]
        objects = {obj.pk: obj for obj in self.query_compiler.queryset.filter(pk__in=wanted)}
        return [objects[pk] for pk in wanted if pk in objects]

    def _do_count(self):
        ranked = self._ranked_ids()
        if ranked is None:
            return super()._do_count()
        return len(ranked[self.start : self.stop])


# FTS5 reads quotes, brackets, ``*``, ``^``, ``:``, ``<``/``>``, ``+``/``-`` as query syntax, and
# modelsearch passes the words of a plain query through unquoted: "a\"b" or "<x>" typed in any
# admin search box made a syntax error (a 500). Only word characters and spaces reach FTS5.
FTS5_SYNTAX = re.compile(r"[^\w\s]+")


def plain_words(query: str) -> str:
    return " ".join(FTS5_SYNTAX.sub(" ", query).split())


class RankedSQLiteSearchBackend(SQLiteSearchBackend):
    results_class = RankedSQLiteSearchResults

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, str):
            query = plain_words(query)
            if not query:
                queryset = model_or_queryset if hasattr(model_or_queryset, "none") else None
                if queryset is None:
                    queryset = model_or_queryset._default_manager.all()
                return super()._search(query_compiler_class, "nothing", queryset.none(), **kwargs)
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)
