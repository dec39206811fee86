"""StreamField blocks for library resources.

A resource is read on a phone like a lesson is, so it is written with the same calm blocks
(``core.blocks``): editors learn one set of blocks and parents see one look. The library keeps
its own stream class so the course library can add lesson-only blocks without them appearing
here.
"""

from __future__ import annotations

from core.blocks import ContentStreamBlock


class ResourceStreamBlock(ContentStreamBlock):
    """Everything a resource body may contain; at most one player per resource."""
