"""The content blocks lessons, library resources and alliance pages share, and their stream.

A lesson or a resource is read on a phone, often inside WeChat, so the blocks are few and calm: text,
an image with a caption, one video or audio player, a document to download, a callout for
what matters most and a quote. ``ContentStreamBlock`` is the one stream of them; the
courses' ``LessonStreamBlock`` and the library's ``ResourceStreamBlock`` extend it, so editors
learn one set of blocks and parents see one look.

Video and audio are wagtailmedia items: the editor uploads a file once, with its type, running
time and thumbnail, and picks it in any lesson or library resource. A Wagtail document or a
URL still works (older content uses them). The server — not the browser — decides when 90 %
of a lesson has been watched (see ``courses.services.record_watched``), so every player has a
running time: the one the editor enters in the block, or else the media item's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from wagtailmedia.blocks import AbstractMediaChooserBlock

from core.media import media_file_url

if TYPE_CHECKING:
    from wagtailmedia.models import AbstractMedia

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]
MEDIA_URL_PREFIXES = ("/", "https://", "http://")


class ImageWithCaptionBlock(blocks.StructBlock):  # type: ignore[misc]  # Wagtail ships no types
    """An illustration; the alternative text is required because parents may use screen readers."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(label=_("Alternative text"), max_length=200)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        description = _("An image with a text alternative and an optional caption")
        template = "core/blocks/image_block.html"


class MediaItemChooserBlock(AbstractMediaChooserBlock):  # type: ignore[misc]  # Wagtail ships no types
    """Chooses a wagtailmedia item of either type; the player follows the item's type."""

    def render_basic(self, value: AbstractMedia | None, context: dict[str, Any] | None = None) -> str:
        # Shown where the admin compares revisions: the item's title is what an editor knows.
        return format_html("{}", value.title) if value else ""

    class Meta:
        icon = "media"


class MediaStructValue(blocks.StructValue):  # type: ignore[misc]  # Wagtail ships no types
    """A player's source, kind, poster and running time, the media item's own where the block
    leaves them open."""

    @property
    def src(self) -> str:
        media_item = self.get("media")
        if media_item:
            return media_file_url(media_item)
        document = self.get("document")
        if document:
            url: str = document.url
            return url
        return self.get("url") or ""

    @property
    def player_kind(self) -> str:
        media_item = self.get("media")
        return media_item.type if media_item else self.get("kind") or "video"

    @property
    def thumbnail_url(self) -> str:
        """The media item's thumbnail, when the block has no poster image of its own."""
        media_item = self.get("media")
        if self.get("poster") or not media_item or not media_item.thumbnail:
            return ""
        return media_file_url(media_item, media_item.thumbnail_filename)

    @property
    def duration(self) -> int:
        """The running time in whole seconds: the block's, else the media item's, else 0."""
        if self.get("duration_seconds"):
            return int(self["duration_seconds"])
        media_item = self.get("media")
        return max(round(media_item.duration or 0), 0) if media_item else 0

    @property
    def duration_label(self) -> str:
        minutes, seconds = divmod(self.duration, 60)
        return f"{minutes}:{seconds:02d}"


class MediaBlock(blocks.StructBlock):  # type: ignore[misc]  # Wagtail ships no types
    """A video or audio recording with a poster image and a transcript.

    The source is exactly one of: a media item (wagtailmedia, preferred), a Wagtail document,
    or a URL (a path on this site or a full address). With a media item, the player's kind is
    the item's type, its thumbnail stands in for an empty poster and its duration for an empty
    running time. The running time is trusted by the server when it counts watched time; a
    lesson with a media block is a "video" lesson in the catalogue filter.
    """

    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("video", _("Video")), ("audio", _("Audio"))],
        default="video",
        help_text=_("For a document or a URL; a media item's own type decides otherwise."),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    media = MediaItemChooserBlock(
        label=_("Video or audio item"),
        required=False,
        help_text=_("Preferred: upload the recording once under Media and choose it here."),
    )
    document = DocumentChooserBlock(label=_("File"), required=False)
    url = blocks.CharBlock(
        label=_("URL"),
        required=False,
        max_length=300,
        help_text=_("A path on this site or a full address of an MP4 or MP3 file, when no file is chosen."),
    )
    poster = ImageChooserBlock(
        label=_("Poster image"), required=False, help_text=_("Leave empty to use the media item's thumbnail.")
    )
    duration_seconds = blocks.IntegerBlock(
        label=_("Running time in seconds"),
        required=False,
        min_value=1,
        help_text=_("Used to decide when the lesson is complete. Leave empty to use the media item's duration."),
    )
    transcript = blocks.RichTextBlock(label=_("Transcript"), required=False, features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "media"
        label = _("Video or audio")
        description = _("A video or audio player with a poster image, running time and transcript")
        template = "core/blocks/media_block.html"
        value_class = MediaStructValue

    def clean(self, value: MediaStructValue) -> MediaStructValue:
        value = super().clean(value)
        sources = [name for name in ("media", "document", "url") if value.get(name)]
        if not sources:
            raise StructBlockValidationError(
                block_errors={"media": ValidationError(_("Choose a video or audio item, a file or enter a URL."))}
            )
        if len(sources) > 1:
            message = _("Use only one of the video or audio item, the file and the URL.")
            raise StructBlockValidationError(block_errors={name: ValidationError(message) for name in sources})
        if value.get("url") and not value["url"].startswith(MEDIA_URL_PREFIXES):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Start the URL with /, https:// or http://."))}
            )
        if value.duration < 1:
            message = (
                _("The chosen item has no duration: enter the running time.")
                if value.get("media")
                else _("Enter the running time.")
            )
            raise StructBlockValidationError(block_errors={"duration_seconds": ValidationError(message)})
        if value.get("media"):
            value["kind"] = value["media"].type
        return value


class DocumentBlock(blocks.StructBlock):  # type: ignore[misc]  # Wagtail ships no types
    """A worksheet or handout parents can download and keep."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=120)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        description = _("A link to download a worksheet, handout or other document")
        template = "core/blocks/document_block.html"


class CalloutBlock(blocks.StructBlock):  # type: ignore[misc]  # Wagtail ships no types
    """A highlighted key point, tip or warning that a skimming parent must not miss."""

    tone = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("key", _("Key point")), ("warning", _("Warning"))],
        default="key",
    )
    heading = blocks.CharBlock(label=_("Heading"), max_length=80)
    text = blocks.TextBlock(label=_("Text"), max_length=800)

    class Meta:
        icon = "warning"
        label = _("Callout")
        description = _("A highlighted box with a tip, key point or warning")
        template = "core/blocks/callout_block.html"


class QuoteBlock(blocks.StructBlock):  # type: ignore[misc]  # Wagtail ships no types
    """A short quotation, e.g. from a law, an expert or a child's own words."""

    text = blocks.TextBlock(label=_("Quotation"), max_length=600)
    source = blocks.CharBlock(label=_("Source"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        description = _("A quotation with its source")
        template = "core/blocks/quote_block.html"


class ContentStreamBlock(blocks.StreamBlock):  # type: ignore[misc]  # Wagtail ships no types
    """Everything a lesson or resource body may contain; at most one player, so progress has one
    meaning. Domain streams extend it (and may add blocks of their own)."""

    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        label=_("Rich text"),
        icon="pilcrow",
        description=_("Paragraphs, headings, lists and links"),
        template="core/blocks/paragraph_block.html",
    )
    image = ImageWithCaptionBlock()
    media = MediaBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()

    class Meta:
        block_counts = {"media": {"max_num": 1}}
