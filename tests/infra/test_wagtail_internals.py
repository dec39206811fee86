"""The Wagtail (and Django, treebeard) internals the site and page caches still rely on.

``core.site_cache``, ``core.listing`` and ``core.media`` call a few names that are not public
API: each test below checks one of them against the installed version, so a Wagtail upgrade
that changes a signature, an attribute or a return type fails here, with the internal named,
rather than as a wrong page or an extra query somewhere else. When one fails, read the module
named in the message before changing the assertion.
"""

from __future__ import annotations

import inspect

from django.http import Http404, HttpRequest
from django.urls import resolve

from wagtail import wagtail_hooks as page_hooks
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents import wagtail_hooks as document_hooks
from wagtail.documents.views import serve as document_serve
from wagtail.models import Page, Site

import pytest
from treebeard.mp_tree import MP_Node

from courses.models import CourseIndexPage
from home.models import SiteContactSettings


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_site_find_for_request_private_lookup_and_request_attribute(rf, db):
    """core.site_cache.site_for_request: ``Site._find_for_request(request)`` answers without
    caching, and ``Site.find_for_request`` keeps its answer on ``request._wagtail_site``."""
    assert hasattr(Site, "_find_for_request"), "Wagtail internal Site._find_for_request is gone (core/site_cache.py)"
    assert parameters(Site._find_for_request) == ["request"], (
        "Wagtail internal Site._find_for_request(request) changed its signature (core/site_cache.py)"
    )
    request = rf.get("/")
    found = Site._find_for_request(request)
    assert isinstance(found, Site), "Site._find_for_request no longer returns a Site (core/site_cache.py)"
    assert not hasattr(request, "_wagtail_site"), "Site._find_for_request now caches on the request"

    request = rf.get("/")
    assert Site.find_for_request(request) == found
    assert getattr(request, "_wagtail_site", None) == found, (
        "Site.find_for_request no longer caches on request._wagtail_site: core/site_cache.py sets that "
        "attribute so Wagtail reuses the remembered site"
    )


def test_django_request_raw_host_reads_the_host_without_allowed_hosts(rf):
    """core.site_cache.site_for_request keys the remembered site on ``request._get_raw_host()``,
    the host Wagtail's own lookup uses (no ALLOWED_HOSTS check)."""
    assert hasattr(HttpRequest, "_get_raw_host"), "Django internal HttpRequest._get_raw_host is gone"
    request = rf.get("/", HTTP_HOST="not-an-allowed-host.example:8443")
    assert request._get_raw_host() == "not-an-allowed-host.example:8443", (
        "HttpRequest._get_raw_host() changed what it returns (core/site_cache.py)"
    )
    source = inspect.getsource(Site._find_for_request)
    assert "_get_raw_host()" in source, (
        "Wagtail's Site._find_for_request no longer reads request._get_raw_host(): the site cache's key "
        "(core/site_cache.py) must follow what Wagtail's lookup reads"
    )


def test_site_settings_cache_attribute_and_request(rf, db):
    """core.site_cache.site_setting stores a copy under ``get_cache_attr_name()`` with ``_request``
    set, as ``BaseSiteSetting.for_request`` does (``page_url`` reads ``_request``)."""
    attribute = SiteContactSettings.get_cache_attr_name()
    assert isinstance(attribute, str) and attribute, "BaseSiteSetting.get_cache_attr_name() no longer a name"
    request = rf.get("/")
    setting = SiteContactSettings.for_request(request)
    assert getattr(request, attribute, None) is setting, (
        "BaseSiteSetting.for_request no longer caches under get_cache_attr_name() (core/site_cache.py)"
    )
    assert getattr(setting, "_request", None) is request, (
        "BaseSiteSetting.for_request no longer sets instance._request (core/site_cache.py sets it on its copy)"
    )


def test_page_view_restriction_check_only_iterates_get_view_restrictions():
    """core.listing.view_restrictions_in_one_query returns a list (not a queryset) while serving a
    page: safe only while Wagtail's check before serving just iterates the result."""
    source = inspect.getsource(page_hooks.check_view_restrictions)
    assert "restrictions = page.get_view_restrictions()" in source and "for restriction in restrictions" in source, (
        "Wagtail's wagtail_hooks.check_view_restrictions changed how it reads page.get_view_restrictions(): "
        "core/listing.py returns a list there, check it still only iterates"
    )
    for queryset_only in (".filter(", ".exists(", ".count(", ".order_by(", ".values"):
        assert f"restrictions{queryset_only}" not in source, (
            f"Wagtail's check_view_restrictions now calls restrictions{queryset_only}...) "
            "on page.get_view_restrictions(), which core/listing.py returns as a list"
        )


def test_document_serving_internals():
    """core.media wraps Wagtail's document serve view and its collection privacy hook."""
    assert parameters(document_serve.serve) == ["request", "document_id", "document_filename"], (
        "wagtail.documents.views.serve.serve changed its signature (core/media.py serve_document)"
    )
    assert parameters(document_hooks.check_view_restrictions) == ["document", "request"], (
        "wagtail.documents.wagtail_hooks.check_view_restrictions changed its signature (core/media.py serve_media)"
    )


def test_treebeard_parent_cache_attribute():
    """core.listing.route_to_child and home.models set ``_cached_parent_obj`` so ``get_parent()``
    costs no query."""
    source = inspect.getsource(MP_Node.get_parent)
    assert "self._cached_parent_obj" in source, (
        "treebeard's MP_Node.get_parent no longer reads _cached_parent_obj (core/listing.py route_to_child, "
        "home/models.py)"
    )
    assert Page.steplen == 4, "treebeard's Page.steplen changed: core/listing.py splits paths by it"


def test_page_route_and_routable_page_internals(db):
    """Four page classes override ``route(request, path_components)``; core.listing asks a
    routable page whether it answers a path with ``resolve_subpage`` (``Http404`` when not)."""
    assert parameters(Page.route) == ["self", "request", "path_components"], (
        "Wagtail's Page.route signature changed (route overrides in courses, library, home; core/listing.py)"
    )
    assert parameters(RoutablePageMixin.resolve_subpage) == ["self", "path"], (
        "RoutablePageMixin.resolve_subpage changed its signature (core/listing.py is_subpage_route)"
    )
    catalogue = CourseIndexPage(title="课程", slug="courses")
    with pytest.raises(Http404):  # core.listing.is_subpage_route catches exactly Http404
        catalogue.resolve_subpage("/no-such-route/")
    view, _args, _kwargs = catalogue.resolve_subpage("/mine/")
    assert callable(view), "RoutablePageMixin.resolve_subpage no longer returns (view, args, kwargs)"


def test_wagtail_page_view_url_name():
    """core.page_cache, core.site_cache and core.listing recognise Wagtail's page view by its URL
    name ``wagtail_serve``."""
    match = resolve("/some-page/")
    assert match.url_name == "wagtail_serve", (
        "Wagtail's page view is no longer named 'wagtail_serve' (core/page_cache.py, core/site_cache.py, "
        "core/listing.py)"
    )


@pytest.mark.parametrize("name", ["get_view_restrictions", "route"])
def test_overridden_page_methods_still_exist(name):
    assert callable(getattr(Page, name, None)), (
        f"Wagtail's Page.{name} is gone: pages in courses/library/home override it"
    )
