"""StreamField blocks for lessons.

A lesson is read on a phone, often inside WeChat, so the blocks are few and calm: text,
an image with a caption, one video or audio player, a document to download, a callout for
what matters most and a quote. ``LessonStreamBlock`` is the one shared stream for lessons.

Video and audio use Wagtail documents or a URL rather than wagtailmedia: the media block
stores the running time the editor enters, because the server — not the browser — decides
when 90 % of a lesson has been watched (see ``courses.services.record_watched``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]
MEDIA_URL_PREFIXES = ("/", "https://", "http://")


class ImageWithCaptionBlock(blocks.StructBlock):
    """An illustration; the alternative text is required because parents may use screen readers."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(label=_("Alternative text"), max_length=200)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        description = _("An image with a text alternative and an optional caption")
        template = "courses/blocks/image_block.html"


class MediaStructValue(blocks.StructValue):
    @property
    def src(self) -> str:
        document = self.get("document")
        if document:
            return document.url
        return self.get("url") or ""

    @property
    def duration_label(self) -> str:
        minutes, seconds = divmod(int(self.get("duration_seconds") or 0), 60)
        return f"{minutes}:{seconds:02d}"


class MediaBlock(blocks.StructBlock):
    """A video or audio recording with a poster image and a transcript.

    The file is a Wagtail document or a URL (a path on this site or a full address). The
    running time is entered by the editor and trusted by the server when it counts watched
    time; a lesson with a media block is a "video" lesson in the catalogue filter.
    """

    kind = blocks.ChoiceBlock(label=_("Kind"), choices=[("video", _("Video")), ("audio", _("Audio"))], default="video")
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    document = DocumentChooserBlock(label=_("File"), required=False)
    url = blocks.CharBlock(
        label=_("URL"),
        required=False,
        max_length=300,
        help_text=_("A path on this site or a full address of an MP4 or MP3 file, when no file is chosen."),
    )
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    duration_seconds = blocks.IntegerBlock(
        label=_("Running time in seconds"), min_value=1, help_text=_("Used to decide when the lesson is complete.")
    )
    transcript = blocks.RichTextBlock(label=_("Transcript"), required=False, features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "media"
        label = _("Video or audio")
        description = _("A video or audio player with a poster image, running time and transcript")
        template = "courses/blocks/media_block.html"
        value_class = MediaStructValue

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("document")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a file or enter a URL (exactly one)."))}
            )
        if value.get("url") and not value["url"].startswith(MEDIA_URL_PREFIXES):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Start the URL with /, https:// or http://."))}
            )
        return value


class DocumentBlock(blocks.StructBlock):
    """A worksheet or handout parents can download and keep."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=120)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        description = _("A link to download a worksheet, handout or other document")
        template = "courses/blocks/document_block.html"


class CalloutBlock(blocks.StructBlock):
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
        template = "courses/blocks/callout_block.html"


class QuoteBlock(blocks.StructBlock):
    """A short quotation, e.g. from a law, an expert or a child's own words."""

    text = blocks.TextBlock(label=_("Quotation"), max_length=600)
    source = blocks.CharBlock(label=_("Source"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        description = _("A quotation with its source")
        template = "courses/blocks/quote_block.html"


class LessonStreamBlock(blocks.StreamBlock):
    """Everything a lesson body may contain; at most one player, so progress has one meaning."""

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
