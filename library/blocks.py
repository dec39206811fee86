"""StreamField blocks for library resources.

A resource is read on a phone like a lesson is, so it is written with the same calm blocks
(text, image, one player, a download, a callout, a quote) from ``courses.blocks``: editors
learn one set of blocks and parents see one look. The library keeps its own stream class so
the course library can add lesson-only blocks (quizzes, say) without them appearing here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from courses.blocks import (
    RICH_TEXT_FEATURES,
    CalloutBlock,
    DocumentBlock,
    ImageWithCaptionBlock,
    MediaBlock,
    QuoteBlock,
)


class ResourceStreamBlock(blocks.StreamBlock):
    """Everything a resource body may contain; at most one player per resource."""

    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        label=_("Rich text"),
        icon="pilcrow",
        description=_("Paragraphs, headings, lists and links"),
        template="courses/blocks/paragraph_block.html",
    )
    image = ImageWithCaptionBlock()
    media = MediaBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()

    class Meta:
        block_counts = {"media": {"max_num": 1}}
