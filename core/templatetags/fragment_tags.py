"""``{% fragment_cache %}``: a piece of a page (a card) rendered once per worker, reused while
the content version is unchanged (``core.site_cache``).

    {% load fragment_tags %}
    {% fragment_cache course.pk course.enrolled_count %}<article>…</article>{% endfragment_cache %}

The values after the tag name are what the piece shows besides content: a count that changes
without an edit, say. The key adds the tag's place in its template, the active language and
the host (page URLs are relative to the request's site). Content (pages, snippets, images,
settings) is covered by the content version. A preview renders fresh (its content is unsaved);
so does every render when the site cache is off (``SITE_CACHE_SECONDS=0``) or unreadable.
Only for what every visitor sees alike: nothing per user, no form with a CSRF token.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import site_cache

register = template.Library()


def render_fresh(node: FragmentNode, context: Context) -> SafeString:
    return node.nodelist.render(context)


class FragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, vary_on: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.vary_on = vary_on

    def render(self, context: Context) -> SafeString:
        request = context.get("request")
        if request is None:
            return render_fresh(self, context)
        place = (self.origin.name if self.origin else "", self.token.lineno if self.token else 0)
        vary = tuple(str(value.resolve(context)) for value in self.vary_on)
        host = request.META.get("HTTP_HOST", "")
        key = ("fragment", *place, get_language(), host, *vary)
        return mark_safe(site_cache.remember(request, key, lambda: str(render_fresh(self, context))))  # noqa: S308 - rendered by the template engine


@register.tag("fragment_cache")
def fragment_cache(parser: Parser, token: Token) -> FragmentNode:
    vary_on = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    return FragmentNode(nodelist, vary_on)
