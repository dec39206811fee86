"""The search page (/search/), the suggestions endpoint its script calls while typing, and the
click counter its script posts to (/search/click/)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core import ratelimit, site_cache

from . import clicks, retention
from .query import search_pages, snippet_for, suggestions

RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    query_string = request.GET.get("q", "").strip()[:200]
    page_type = request.GET.get("type", "").strip()
    site = site_cache.site_for_request(request)
    outcome = search_pages(query_string, page_type=page_type or None, site=site) if query_string else None
    results_page = None
    click_digest = ""
    if outcome is not None:
        results_page = Paginator(outcome.results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        results_page.object_list = [
            {"page": page, "snippet": snippet_for(page, outcome.query)} for page in results_page.object_list
        ]
        if results_page.number == 1:
            retention.record(outcome)  # only what search tuning needs (see search.retention)
            retention.record_unanswered(outcome)
            click_digest = clicks.record_answered(outcome)
        else:
            click_digest = clicks.click_digest(outcome)
    return TemplateResponse(
        request,
        "search/search_page.html",
        {
            "search_query": query_string,
            "page_type": page_type,
            "outcome": outcome,
            "results_page": results_page,
            "click_digest": click_digest,
        },
    )


@require_GET
@cache_control(max_age=60, public=True)
def suggest(request):
    query_string = request.GET.get("q", "").strip()[:100]
    site = site_cache.site_for_request(request)
    pages = suggestions(query_string, site=site) if query_string else []
    return JsonResponse(
        {"query": query_string, "suggestions": [{"title": page.title, "url": page.get_url(request)} for page in pages]},
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt  # counts only (no session, no person): sent with navigator.sendBeacon, without a token
@require_POST
def click(request):
    """One search with a click on a result (``search.clicks``); 204 whether it was counted or not,
    429 past ``SEARCH_CLICKS_PER_HOUR`` posts from one client."""
    if ratelimit.hit(request, "search-click", settings.SEARCH_CLICKS_PER_HOUR):
        return HttpResponse(status=429)
    clicks.record_click(request.POST.get("search", "")[:64])
    return HttpResponse(status=204)
