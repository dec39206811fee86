"""One base for index pages that list their children with filters in the query string.

The course catalogue and the resource library share it: an introduction, filters read from a
plain GET form (state in the URL, so a filtered list can be shared and the back button
works), one page of results tagged for cards (``core.listing.listing_context``) and routing to
a child in one query (``core.listing.route_to_child``). The filters and the listed pages are
the subclass's; core knows no domain model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from core.listing import OneQueryRestrictionsMixin, is_subpage_route, listing_context, route_to_child

if TYPE_CHECKING:
    from wagtail.query import PageQuerySet
    from wagtail.url_routing import RouteResult


class FilteredIndexPage(OneQueryRestrictionsMixin, Page):  # type: ignore[misc]  # Wagtail ships no types
    """An index of child pages with filters; subclasses set what is listed and filtered.

    ``read_filters(params)`` and ``filtered_pages(filters)`` are the subclass's;
    ``filter_keys`` are the filters that make a list "filtered", ``listing_name`` the context
    name of the page of results, ``child_page_models()`` and ``child_select_related`` what a
    child URL is read as.
    """

    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    max_count = 1

    per_page = 12
    filter_keys: tuple[str, ...] = ("topic", "age")
    listing_name = "pages"
    child_select_related: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @staticmethod
    def read_filters(params: QueryDict) -> dict[str, str]:
        raise NotImplementedError

    def filtered_pages(self, filters: dict[str, str]) -> PageQuerySet:
        raise NotImplementedError

    def child_page_models(self) -> list[type[Page]]:
        """The page types a child URL is tried as, in order (none: Wagtail's own routing)."""
        return []

    def content_only(self, filters: dict[str, str]) -> bool:
        """Whether ``filtered_pages(filters)``, in its order, depends on content alone (then each
        page of results is kept per worker until content changes; see ``listing_context``)."""
        return True

    def live_values(self, request: HttpRequest, pages: list[Page]) -> list[Page]:
        """The listed pages as this request shows them: copies carrying what changes without an
        edit (the kept pages are shared by every request the worker serves)."""
        return pages

    def extra_listing_context(self, request: HttpRequest) -> dict[str, Any]:
        """Anything else the index template needs (a subclass's own links or choices)."""
        return {}

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        filters = self.read_filters(request.GET)
        listing = listing_context(
            request, self.filtered_pages(filters), self.per_page, filters, self.filter_keys, index=self
        )
        context.update(listing, **{self.listing_name: listing.pop("page_obj")}, **self.extra_listing_context(request))
        return context

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """A child is read with its related rows in one query (see ``route_to_child``); a
        routable subclass's own routes (``mine/``) are left to it."""
        routable = hasattr(self, "resolve_subpage")
        if self.live and path_components and not (routable and is_subpage_route(self, path_components)):
            routed = route_to_child(
                self, request, path_components, self.child_page_models(), select_related=list(self.child_select_related)
            )
            if routed is not None:
                return routed
        return super().route(request, path_components)
