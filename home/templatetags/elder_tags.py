"""What the home page offers first in 长辈模式 (elder mode): 继续学习, 找课程, 打电话求助.

Fewer choices per screen is part of the 适老化 guidance: a grandparent who opens the site sees
three large buttons before anything else, then the usual home page below them. 找课程 is the
course catalogue (``navigation_tags.catalogue_url``, the header's and tab bar's link, read once
per worker); "continue learning" is its "my courses" page, which sends a signed-out visitor to
sign in first.
"""

from __future__ import annotations

from django import template

from home.templatetags.navigation_tags import catalogue_url

register = template.Library()


@register.simple_tag(takes_context=True)
def elder_home_choices(context) -> dict:
    """The catalogue's and "my courses"' addresses ('' when the site has no catalogue)."""
    url = catalogue_url(context)
    if not url:
        return {"catalogue_url": "", "continue_url": ""}
    from courses.models import CourseIndexPage

    return {"catalogue_url": url, "continue_url": url + CourseIndexPage.get_resolver().reverse("my_courses")}
