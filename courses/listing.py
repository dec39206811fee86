"""What the course catalogue and the resource library index share: taxonomy filters and paging.

Both list pages tagged with the shared topics and age groups, filter them with a plain GET form
(state in the URL) and paginate; the page-specific filters (format and sort for courses, kind
for resources) stay with each page.
"""

from __future__ import annotations

from django.core.paginator import Paginator


def read_taxonomy_filters(params) -> dict[str, str]:
    """The topic and age-group slugs from the query string (unknown ones simply match nothing)."""
    return {"topic": params.get("topic", "")[:60], "age": params.get("age", "")[:60]}


def filter_by_taxonomy(pages, filters: dict[str, str]):
    if filters.get("topic"):
        pages = pages.filter(topics__slug=filters["topic"])
    if filters.get("age"):
        pages = pages.filter(age_groups__slug=filters["age"])
    return pages


def paginate(request, items, per_page: int) -> dict:
    """The requested page of ``items`` and the query string without ``page`` (it keeps the filters).

    For ``templates/includes/pagination.html``.
    """
    paginator = Paginator(items, per_page)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": paginator.get_page(request.GET.get("page")),
        "paginator": paginator,
        "filter_query": query.urlencode(),
    }


def listing_context(request, pages, per_page: int, filters: dict[str, str], filter_keys: tuple[str, ...]) -> dict:
    """Filter choices, the requested page of results and the query string that keeps the filters."""
    from home import site_cache

    from .models.snippets import AgeGroup, Topic  # courses.models imports this module

    return {
        "filters": filters,
        # The same on every listing, and snippets: reused until a topic or age group changes.
        "topics": site_cache.remember(request, ("topics",), lambda: tuple(Topic.objects.all())),
        "age_groups": site_cache.remember(request, ("age-groups",), lambda: tuple(AgeGroup.objects.all())),
        **paginate(request, pages, per_page),
        "is_filtered": any(filters[key] for key in filter_keys),
    }


# --- Fewer queries per page view ------------------------------------------------------------
# Shared by the course, library and home pages: Wagtail's defaults spend a query on each of
# these (``public()`` reads every view restriction first, ``get_view_restrictions`` reads the
# ancestors first, routing reads a child as ``Page`` and then again as its specific class).


def public_only(pages):
    """Like Wagtail's ``.public()``, but in the same query: no restriction on the page or above it.

    ``PageQuerySet.public()`` first loads every ``PageViewRestriction`` to build its filter;
    a ``NOT EXISTS`` subquery lets the database do it inside the listing's own query.
    """
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import Length, Substr

    from wagtail.models import PageViewRestriction

    # A restriction applies when its page's path is a prefix of the listed page's path.
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    ).values("pk")
    return pages.filter(~Exists(restricted))


def view_restrictions_in_one_query(page):
    """The view restrictions on ``page`` and its ancestors, as Wagtail's ``get_view_restrictions``.

    Wagtail reads the ancestors first, to follow aliases to their source page; their paths are
    already known from the page's own path, so one query does it (an alias's restrictions are
    its source page's, found by the subquery).
    """
    from django.db.models import Q

    from wagtail.models import Page, PageViewRestriction

    steplen = page.steplen
    paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    aliases = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of_id")
    return PageViewRestriction.objects.filter(
        Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page_id__in=aliases)
    )


def is_subpage_route(page, path_components) -> bool:
    """Whether a RoutablePage answers these path components itself (e.g. ``mine/``)."""
    from django.http import Http404

    try:
        page.resolve_subpage("/" + "/".join(path_components) + "/")
    except Http404:
        return False
    return True


def route_to_child(parent, request, path_components, child_models, select_related=()):
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

    def get_view_restrictions(self):
        return view_restrictions_in_one_query(self)
