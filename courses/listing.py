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


def listing_context(request, pages, per_page: int, filters: dict[str, str], filter_keys: tuple[str, ...]) -> dict:
    """Filter choices, the requested page of results and the query string that keeps the filters."""
    from .models.snippets import AgeGroup, Topic  # courses.models imports this module

    paginator = Paginator(pages, per_page)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "topics": list(Topic.objects.all()),
        "age_groups": list(AgeGroup.objects.all()),
        "page_obj": paginator.get_page(request.GET.get("page")),
        "paginator": paginator,
        "filter_query": query.urlencode(),
        "is_filtered": any(filters[key] for key in filter_keys),
    }
