"""The review workflows and their tasks are stored under English names and shown translated.

Wagtail shows a workflow's or a task's ``name`` as stored, untranslated, in dozens of places (the
submit button, the status panel, the history, the workflow e-mails), so a name stored in Chinese
showed Chinese in English mode and one stored in English showed English to the district. The rows
keep the English name (the msgid); whenever one is loaded its ``name`` becomes the text in the
language active at that moment (the request's), and before it is saved it goes back to the msgid,
whichever language it was edited in. Names not listed here (a workflow an administrator made) are
left as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models.signals import post_init, post_save, pre_save
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.models import Task, Workflow

REVIEW_NAMES = {
    # home: every page outside the course catalogue and the library
    "Content review": _("Content review"),
    "Editor or district review": _("Editor or district review"),
    # courses: a course with its lessons and quiz
    "Course review": _("Course review"),
    "District review": _("District review"),
    # library: resources
    "Library review": _("Library review"),
    "Library content review": _("Library content review"),
}


def _stored_name(shown: str) -> str:
    """The msgid whose text in any of the site's languages is ``shown`` (or ``shown`` itself)."""
    for msgid, lazy in REVIEW_NAMES.items():
        if shown == msgid:
            return msgid
        for code, _label in settings.LANGUAGES:
            with translation.override(code):
                if shown == str(lazy):
                    return msgid
    return shown


def show_name(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    lazy = REVIEW_NAMES.get(instance.__dict__.get("name"))  # never loads a deferred name
    if lazy is not None:
        instance.name = str(lazy)


def store_name(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    if "name" in instance.__dict__:
        instance.name = _stored_name(instance.name)


def connect(models: Iterable[type[Any]]) -> None:
    """Connects the signals for ``Workflow`` and every ``Task`` model (each specific task type)."""
    for model in [Workflow, *(model for model in models if issubclass(model, Task))]:
        post_init.connect(show_name, sender=model, dispatch_uid=f"review-name-show-{model._meta.label}")
        pre_save.connect(store_name, sender=model, dispatch_uid=f"review-name-store-{model._meta.label}")
        post_save.connect(show_name, sender=model, dispatch_uid=f"review-name-reshow-{model._meta.label}")
