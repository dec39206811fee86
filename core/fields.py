"""Model field declarations that several apps repeat word for word."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def optional_image(verbose_name: StrOrPromise) -> models.ForeignKey[Any, Any]:
    """An optional Wagtail image (a cover, a photo): left empty when the image is deleted."""
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
