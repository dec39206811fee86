"""StreamField blocks for lessons.

A lesson is written with the shared content blocks (``core.blocks``): text, an image with a
caption, one video or audio player, a document to download, a callout and a quote. The server
— not the browser — decides when 90 % of a lesson has been watched (see
``courses.services.record_watched``), so every player has a running time.
"""

from __future__ import annotations

from core.blocks import ContentStreamBlock


class LessonStreamBlock(ContentStreamBlock):
    """Everything a lesson body may contain; at most one player, so progress has one meaning.

    Its own class so lessons can add lesson-only blocks (quizzes, say) without them appearing
    in library resources."""
