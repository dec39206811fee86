"""Listing helpers every app shares: taxonomy filters, paging, and page views in fewer queries.

The course catalogue and the resource library index share taxonomy filters and paging.

Both list pages tagged with the shared topics and age groups, filter them with a plain GET form
(state in the URL) and paginate; the page-specific filters (format and sort for courses, kind
for resources) stay with each page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, QueryDict

if TYPE_CHECKING:
    # Wagtail ships no types: to mypy these are Any, named here for the reader.
    from wagtail.models import Page, PageViewRestriction
    from wagtail.query import PageQuerySet
    from wagtail.url_routing import RouteResult

    from core.index_pages import FilteredIndexPage


def read_taxonomy_filters(params: QueryDict) -> dict[str, str]:
    """The topic and age-group slugs from the query string (unknown ones simply match nothing)."""
    return {"topic": params.get("topic", "")[:60], "age": params.get("age", "")[:60]}


def filter_by_taxonomy(pages: PageQuerySet, filters: dict[str, str]) -> PageQuerySet:
    if filters.get("topic"):
        pages = pages.filter(topics__slug=filters["topic"])
    if filters.get("age"):
        pages = pages.filter(age_groups__slug=filters["age"])
    return pages


def paginate(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int, *, count: int | None = None
) -> dict[str, Any]:
    """The requested page of ``items`` and the query string without ``page`` (it keeps the filters).

    ``count``: how many ``items`` there are, when the caller knows (no count query then).
    For ``templates/includes/pagination.html``.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": paginator.get_page(request.GET.get("page")),
        "paginator": paginator,
        "filter_query": query.urlencode(),
    }


def taxonomy_models(page_model: type[Page]) -> tuple[type[Model], type[Model]]:
    """The topic and age-group models a listed page model is tagged with: ``(Topic, AgeGroup)``,
    read from its ``topics`` and ``age_groups`` fields (core imports no domain app)."""
    return page_model.topics.field.related_model, page_model.age_groups.field.related_model


def taxonomy(request: HttpRequest, model: type[Model]) -> tuple[Model, ...]:
    """All topics or age groups (``model``, from ``taxonomy_models``) in their order, read once
    per worker until a topic or age group changes (they are snippets, see ``core.site_cache``)."""
    from core import site_cache

    return site_cache.remember(request, (model._meta.label_lower,), lambda: tuple(model._default_manager.all()))


def attach_taxonomy(request: HttpRequest, pages: Iterable[Page]) -> list[Page]:
    """The pages as a list, each with its card's tags: ``card_topics`` and ``card_age_groups``.

    ``prefetch_related("topics", "age_groups")`` costs two queries plus, in Django, a related
    manager and a queryset built per page, which was a third of a catalogue page's time. Here one
    query reads both link tables (``UNION ALL``) and the names come from ``taxonomy()``, in the
    taxonomy's own order. Tags are content: the links read for a list of pages are kept in the
    worker until the content version changes (``core.site_cache``). For live pages read from the
    database (a preview's unsaved tags are only on ``page.topics``).
    """
    from core import site_cache

    pages = list(pages)
    if not pages:
        return pages
    model = type(pages[0])
    ids = tuple(page.pk for page in pages)
    tagged = site_cache.remember(request, ("card-tags", model._meta.label_lower, ids), lambda: _card_tags(model, ids))
    topic_model, age_model = taxonomy_models(model)
    topics, age_groups = taxonomy(request, topic_model), taxonomy(request, age_model)
    for page in pages:
        topic_ids, age_ids = tagged[page.pk]
        page.card_topics = [topic for topic in topics if topic.pk in topic_ids]
        page.card_age_groups = [age for age in age_groups if age.pk in age_ids]
    return pages


def _card_tags(model: type[Page], ids: tuple[int, ...]) -> dict[int, tuple[frozenset[int], frozenset[int]]]:
    """Each page's ``(topic ids, age-group ids)``: both link tables in one query (``UNION ALL``)."""
    from django.db.models import Value

    owner = f"{model._meta.model_name}_id"
    topic_links = model.topics.through.objects.filter(**{f"{owner}__in": ids})
    age_links = model.age_groups.through.objects.filter(**{f"{owner}__in": ids})
    links = topic_links.values_list(owner, "topic_id", Value(0)).union(
        age_links.values_list(owner, "agegroup_id", Value(1)), all=True
    )
    tagged: dict[int, tuple[set[int], set[int]]] = {page_id: (set(), set()) for page_id in ids}
    for page_id, item_id, kind in links:
        tagged[page_id][kind].add(item_id)
    return {page_id: (frozenset(topics), frozenset(ages)) for page_id, (topics, ages) in tagged.items()}


def page_taxonomy(request: HttpRequest, page: Page) -> tuple[list[Model], list[Model]]:
    """A page's own ``(topics, age_groups)``: with ``attach_taxonomy`` (one query) when it is the
    live page, from the page itself in a preview (whose tags may not be saved yet)."""
    if page.pk is None or getattr(request, "is_preview", False):
        return list(page.topics.all()), list(page.age_groups.all())
    attach_taxonomy(request, [page])
    return page.card_topics, page.card_age_groups


def listing_context(
    request: HttpRequest,
    pages: PageQuerySet,
    per_page: int,
    filters: dict[str, str],
    filter_keys: tuple[str, ...],
    *,
    index: FilteredIndexPage | None = None,
) -> dict[str, Any]:
    """Filter choices, the requested page of results (tagged for cards, ``attach_taxonomy``) and
    the query string that keeps the filters.

    With ``index`` (the listing page whose children ``pages`` are, chosen by ``filters`` alone),
    what is content is kept once per worker until the content version changes
    (``core.site_cache``): the number of results for each set of filters and, when
    ``index.content_only(filters)`` says the listed pages and their order are content, each
    page of results. ``index.live_values`` then adds to per-request copies what changes
    without an edit (a count of enrolled parents).
    """
    from core import site_cache

    topic_model, age_model = taxonomy_models(pages.model)
    topics, age_groups = taxonomy(request, topic_model), taxonomy(request, age_model)
    # Only filters that name a topic and age group that exist: keys made of anything typed in the
    # URL would fill the worker's store (which is then dropped whole).
    known = all(
        not filters.get(name) or any(getattr(item, "slug", None) == filters[name] for item in items)
        for name, items in (("topic", topics), ("age", age_groups))
    )
    kept = index if index is not None and known else None
    filter_key = tuple(sorted(filters.items()))
    count = (
        site_cache.remember(request, ("listing-count", kept.pk, filter_key), pages.count) if kept is not None else None
    )
    listing = paginate(request, pages, per_page, count=count)
    page_obj = listing["page_obj"]
    if kept is not None and kept.content_only(filters):
        key = ("listing-page", kept.pk, filter_key, page_obj.number)
        page_obj.object_list = site_cache.remember(request, key, lambda: attach_taxonomy(request, page_obj.object_list))
    else:
        page_obj.object_list = attach_taxonomy(request, page_obj.object_list)
    if index is not None:
        page_obj.object_list = index.live_values(request, page_obj.object_list)
    return {
        "filters": filters,
        "topics": topics,
        "age_groups": age_groups,
        **listing,
        "is_filtered": any(filters[key] for key in filter_keys),
    }


# --- Fewer queries per page view ------------------------------------------------------------
# Shared by the course, library and home pages: Wagtail's defaults spend a query on each of
# these (``public()`` reads every view restriction first, ``get_view_restrictions`` reads the
# ancestors first, routing reads a child as ``Page`` and then again as its specific class).


def public_only(pages: PageQuerySet) -> PageQuerySet:
    """Like Wagtail's ``.public()``, but in the same query: no restriction on the page or above it.

    ``PageQuerySet.public()`` first loads every ``PageViewRestriction`` to build its filter;
    a ``NOT EXISTS`` subquery lets the database do it inside the listing's own query.
    """
    from django.db.models import Exists, OuterRef, Q
    from django.db.models.functions import Length, Substr

    from wagtail.models import PageViewRestriction

    from core import site_cache

    request = site_cache.current_request()
    if request is not None and site_cache.seconds() > 0:
        # Serving a request: the site's restrictions are known (usually none), so the filter
        # is a few prefix tests, or nothing at all.
        restrictions, _aliases = site_cache.view_restrictions(request)
        paths = {restriction.page.path for restriction in restrictions}
        for path in paths:
            pages = pages.filter(~Q(path__startswith=path))
        return pages
    # A restriction applies when its page's path is a prefix of the listed page's path.
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    ).values("pk")
    return pages.filter(~Exists(restricted))


def view_restrictions_in_one_query(page: Page) -> list[PageViewRestriction] | QuerySet[PageViewRestriction]:
    """The view restrictions on ``page`` and its ancestors, as Wagtail's ``get_view_restrictions``.

    Wagtail reads the ancestors first, to follow aliases to their source page; their paths are
    already known from the page's own path, so one query does it (an alias's restrictions are
    its source page's, found by the subquery).
    """
    from django.db.models import Q

    from wagtail.models import Page, PageViewRestriction

    from core import site_cache

    steplen = page.steplen
    paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    request = site_cache.current_request()
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "wagtail_serve" and site_cache.seconds() > 0:
        # Wagtail's check before serving a page only iterates them (the admin's privacy views
        # order and count them, and keep the queryset below).
        restrictions, aliases = site_cache.view_restrictions(request)
        if not aliases.intersection(paths):  # no alias on the way: no query at all
            return [restriction for restriction in restrictions if restriction.page.path in paths]
    aliases = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of_id")
    in_one_query: QuerySet[PageViewRestriction] = PageViewRestriction.objects.filter(
        Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page_id__in=aliases)
    )
    return in_one_query


def is_subpage_route(page: Page, path_components: Sequence[str]) -> bool:
    """Whether a RoutablePage answers these path components itself (e.g. ``mine/``)."""
    from django.http import Http404

    try:
        page.resolve_subpage("/" + "/".join(path_components) + "/")
    except Http404:
        return False
    return True


def route_to_child(
    parent: Page,
    request: HttpRequest,
    path_components: Sequence[str],
    child_models: Iterable[type[Page]],
    select_related: Sequence[str] = (),
) -> RouteResult | None:
    """Route to a child of ``parent`` in one query when the child types are known.

    Wagtail's ``Page.route`` loads the child as a plain ``Page`` and then again as its specific
    class; asking the specific model directly takes one query (one per type tried, in order).
    Returns ``None`` when no child of these types has the slug, so the caller can fall back.
    """
    slug = path_components[0]
    for model in child_models:
        child = model.objects.child_of(parent).filter(slug=slug).select_related(*select_related).first()
        if child is not None:
            child._cached_parent_obj = parent  # treebeard's get_parent() and the breadcrumbs use it
            return child.route(request, path_components[1:])
    return None


class OneQueryRestrictionsMixin:
    """Pages whose view-restriction check (run by Wagtail on every view) costs one query."""

    def get_view_restrictions(self) -> list[PageViewRestriction] | QuerySet[PageViewRestriction]:
        return view_restrictions_in_one_query(self)
