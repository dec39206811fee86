"""What the home page offers first in 长辈模式 (elder mode): 继续学习, 找课程, 打电话求助.

Fewer choices per screen is part of the 适老化 guidance: a grandparent who opens the site sees
three large buttons before anything else, then the usual home page below them. The course
catalogue is found as the home page's live, public child of type ``courses.CourseIndexPage``
(looked up by label, as ``home`` does not import ``courses``); "continue learning" is its
"my courses" page, which sends a signed-out visitor to sign in first.
"""

from __future__ import annotations

from django import template
from django.apps import apps

from wagtail.models import Page

register = template.Library()


@register.simple_tag(takes_context=True)
def elder_home_choices(context) -> dict:
    """The catalogue's and "my courses"' addresses under the current home page ('' when absent)."""
    request = context.get("request")
    page = context.get("page")
    choices = {"catalogue_url": "", "continue_url": ""}
    if request is None or not isinstance(page, Page):
        return choices
    catalogue_model = apps.get_model("courses", "CourseIndexPage")
    catalogue = catalogue_model.objects.child_of(page).live().public().first()
    if catalogue is None:
        return choices
    url = catalogue.get_url(request) or ""
    choices["catalogue_url"] = url
    choices["continue_url"] = url + catalogue.reverse_subpage("my_courses") if url else ""
    return choices
