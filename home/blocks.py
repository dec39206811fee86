"""StreamField blocks for the site's own pages (home page and standard pages).

Editors assemble pages from these blocks instead of free-form HTML, so every page keeps the
same calm, accessible look on a phone. ``BaseStreamBlock`` is the shared stream; the home
page adds its hero and the "1+13+n" introduction on top of it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class LinkStructValue(blocks.StructValue):
    """Gives templates one ``href`` whether the editor chose a page or typed a URL."""

    @property
    def href(self) -> str:
        page = self.get("page")
        if page:
            return page.url or ""
        return self.get("url") or ""

    @property
    def label(self) -> str:
        page = self.get("page")
        return self.get("text") or (page.title if page else "") or self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    """A link to a page of this site or to any URL.

    Courses, the resource library, the alliance and the reporting forms live in other apps and
    may not exist yet, so a link accepts either an internal page or a plain URL (exactly one).
    """

    text = blocks.CharBlock(label=_("Link text"), required=False, max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(
        label=_("URL"),
        required=False,
        max_length=300,
        help_text=_("A path on this site (e.g. /courses/) or a full address. Leave empty when a page is chosen."),
    )

    class Meta:
        icon = "link"
        value_class = LinkStructValue
        label = _("Link")
        description = _("A link to a page of this site or to a URL")
        template = "blocks/link_block.html"

    def __init__(self, local_blocks=None, required: bool = True, **kwargs):
        self.link_required = required
        super().__init__(local_blocks, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not self.link_required and not (value.get("page") or value.get("url") or value.get("text")):
            return value
        if bool(value.get("page")) == bool(value.get("url")):
            message = (
                _("Choose a page or enter a URL, not both.")
                if value.get("page")
                else _("Choose a page or enter a URL.")
            )
            raise StructBlockValidationError(block_errors={"url": ValidationError(message)})
        url = value.get("url") or ""
        if url and not url.startswith(("/", "https://", "http://", "mailto:", "tel:")):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Start the URL with /, https://, mailto: or tel:."))}
            )
        return value


class HeroBlock(blocks.StructBlock):
    """The welcome at the top of the home page: who we are, and where to go next."""

    eyebrow = blocks.CharBlock(label=_("Small heading above the title"), required=False, max_length=60)
    title = blocks.CharBlock(label=_("Title"), max_length=80)
    intro = blocks.TextBlock(label=_("Introduction"), max_length=400)
    actions = blocks.ListBlock(LinkBlock(), label=_("Call-to-action links"), max_num=3, default=[])

    class Meta:
        icon = "pick"
        label = _("Hero")
        description = _("Large welcome with a title, a short introduction and up to three buttons")
        template = "blocks/hero_block.html"


class FeatureCardBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("Figure"), required=False, max_length=12, help_text=_("e.g. 1, 13 or n"))
    title = blocks.CharBlock(label=_("Title"), max_length=60)
    text = blocks.TextBlock(label=_("Text"), max_length=400)

    class Meta:
        icon = "doc-full"
        label = _("Feature card")


class FeatureCardsBlock(blocks.StructBlock):
    """A row of cards, e.g. the "1+13+n" system or the family/school/society circles."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=80)
    intro = blocks.TextBlock(label=_("Introduction"), required=False, max_length=600)
    cards = blocks.ListBlock(FeatureCardBlock(), label=_("Cards"), min_num=1, max_num=6)

    class Meta:
        icon = "list-ul"
        label = _("Feature cards")
        description = _("A heading and a row of cards with a big figure, e.g. the 1+13+n system")
        template = "blocks/feature_cards_block.html"


class HotlineCalloutBlock(blocks.StructBlock):
    """A highlighted box that tells a worried parent or child who to call right now."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=80)
    text = blocks.TextBlock(label=_("Text"), max_length=600)
    show_site_hotlines = blocks.BooleanBlock(
        label=_("Show the site's hotlines"),
        required=False,
        default=True,
        help_text=_("Lists the hotlines from the site's contact settings."),
    )
    link = LinkBlock(required=False, label=_("Optional link"))

    class Meta:
        icon = "warning"
        label = _("Hotline callout")
        description = _("A highlighted box with urgent help: the hotlines and an optional link")
        template = "blocks/hotline_callout_block.html"


class LinkCardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=60)
    description = blocks.TextBlock(label=_("Description"), required=False, max_length=300)
    link = LinkBlock(label=_("Link"))

    class Meta:
        icon = "link"
        label = _("Link card")


class LinkCardsBlock(blocks.StructBlock):
    """Signposts to the main parts of the platform: courses, library, alliance, reporting."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=80)
    cards = blocks.ListBlock(LinkCardBlock(), label=_("Cards"), min_num=1, max_num=8)

    class Meta:
        icon = "grip"
        label = _("Link cards")
        description = _("A grid of cards that each link to a page or URL")
        template = "blocks/link_cards_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every content page may use."""

    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        label=_("Rich text"),
        icon="pilcrow",
        description=_("Paragraphs, headings, lists and links"),
        template="blocks/paragraph_block.html",
    )
    feature_cards = FeatureCardsBlock()
    hotline_callout = HotlineCalloutBlock()
    link_cards = LinkCardsBlock()


class HomeStreamBlock(BaseStreamBlock):
    """The home page adds a hero on top of the shared blocks."""

    hero = HeroBlock()

    class Meta:
        block_counts = {"hero": {"max_num": 1}}
