"""Lesson blocks: each is described for editors, and the media block checks its source and
takes what it leaves open (kind, poster, running time) from a chosen wagtailmedia item."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest
from wagtail_factories import ImageFactory

from core.blocks import MediaBlock
from core.media import media_file_url
from courses.blocks import LessonStreamBlock
from courses.models import LessonPage
from tests.factories.media import DocumentFactory, MediaItemFactory, root_collection


def test_every_lesson_block_has_an_icon_a_template_and_a_description():
    for name, block in LessonStreamBlock().child_blocks.items():
        assert block.meta.icon, name
        assert block.meta.template, name
        assert block.meta.description, name


def media_value(**overrides):
    block = MediaBlock()
    value = {"kind": "video", "title": "示例", "url": "/media/demo.mp4", "duration_seconds": 90, **overrides}
    return block, block.to_python(value)


def test_media_block_accepts_a_url_on_this_site():
    block, value = media_value()
    assert block.clean(value)["url"] == "/media/demo.mp4"


def errors(block, value) -> dict[str, list[str]]:
    """The messages the block's ``clean`` raises, by child block name."""
    with pytest.raises(ValidationError) as raised:
        block.clean(value)
    with translation.override("en"):
        return {name: [str(message) for message in error.messages] for name, error in raised.value.block_errors.items()}


def test_media_block_needs_a_media_item_a_file_or_a_url():
    block, value = media_value(url="")
    assert errors(block, value) == {"media": ["Choose a video or audio item, a file or enter a URL."]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sources", [("media", "url"), ("document", "url"), ("media", "document"), ("media", "document", "url")]
)
def test_media_block_takes_exactly_one_source(sources):
    chosen = {"media": MediaItemFactory().pk, "document": DocumentFactory().pk, "url": "/media/demo.mp4"}
    block, value = media_value(**{name: chosen[name] if name in sources else None for name in chosen})
    message = "Use only one of the video or audio item, the file and the URL."
    assert errors(block, value) == {name: [message] for name in sources}


@pytest.mark.django_db
def test_media_block_accepts_a_media_item_alone_and_plays_it_from_the_serve_view():
    item = MediaItemFactory(duration=75)
    block, value = media_value(url="", media=item.pk)
    cleaned = block.clean(value)
    assert cleaned["media"] == item
    assert cleaned.src == media_file_url(item) == f"/media-files/{item.pk}/{item.filename}"


@pytest.mark.django_db
def test_media_block_still_plays_a_document():
    document = DocumentFactory()
    block, value = media_value(url="", document=document.pk)
    assert block.clean(value).src == document.url


@pytest.mark.django_db
def test_an_empty_running_time_falls_back_to_the_media_items_duration():
    block, value = media_value(url="", media=MediaItemFactory(duration=125.4).pk, duration_seconds=None)
    cleaned = block.clean(value)
    assert cleaned.duration == 125 and cleaned.duration_label == "2:05"


@pytest.mark.django_db
def test_the_editors_running_time_wins_over_the_media_items():
    block, value = media_value(url="", media=MediaItemFactory(duration=125).pk, duration_seconds=90)
    assert block.clean(value).duration == 90


@pytest.mark.django_db
def test_a_media_item_without_a_duration_needs_a_running_time():
    block, value = media_value(url="", media=MediaItemFactory(duration=0).pk, duration_seconds=None)
    assert errors(block, value) == {"duration_seconds": ["The chosen item has no duration: enter the running time."]}


def test_a_url_needs_a_running_time():
    block, value = media_value(duration_seconds=None)
    assert errors(block, value) == {"duration_seconds": ["Enter the running time."]}


@pytest.mark.django_db
def test_the_kind_follows_the_media_items_type():
    block, value = media_value(url="", kind="video", media=MediaItemFactory(audio=True).pk)
    cleaned = block.clean(value)
    assert cleaned["kind"] == "audio" and cleaned.player_kind == "audio"
    _block, by_url = media_value(kind="audio")
    assert by_url.player_kind == "audio"


@pytest.mark.django_db
def test_an_empty_poster_falls_back_to_the_media_items_thumbnail():
    item = MediaItemFactory(with_thumbnail=True)
    _block, value = media_value(url="", media=item.pk)
    assert value.thumbnail_url == f"/media-files/{item.pk}/{item.thumbnail_filename}"
    _block, without = media_value(url="", media=MediaItemFactory().pk)
    assert without.thumbnail_url == ""


@pytest.mark.django_db
def test_a_poster_image_wins_over_the_thumbnail():
    item = MediaItemFactory(with_thumbnail=True)
    _block, value = media_value(url="", media=item.pk, poster=ImageFactory(collection=root_collection()).pk)
    assert value.thumbnail_url == ""


@pytest.mark.django_db
def test_the_player_renders_the_served_file_and_the_thumbnail_as_poster():
    item = MediaItemFactory(with_thumbnail=True, duration=61)
    block, value = media_value(url="", media=item.pk, duration_seconds=None)
    html = block.render(block.clean(value))
    assert f'src="/media-files/{item.pk}/{item.filename}"' in html
    assert f'poster="/media-files/{item.pk}/{item.thumbnail_filename}"' in html
    assert 'data-duration="61"' in html and "1:01" in html
    audio = block.render(
        block.clean(media_value(url="", media=MediaItemFactory(audio=True, with_thumbnail=True).pk)[1])
    )
    assert "<audio" in audio and 'class="lesson-media__poster"' in audio and "<video" not in audio


@pytest.mark.django_db
def test_a_lesson_keeps_the_media_items_duration_as_its_running_time(course):
    item = MediaItemFactory(duration=240)
    lesson = LessonPage.objects.child_of(course).first()
    player = {"kind": "video", "title": "视频", "media": item.pk, "document": None, "url": "", "duration_seconds": None}
    lesson.body = [("media", MediaBlock().to_python(player))]
    lesson.save()
    lesson.refresh_from_db()
    assert lesson.media_duration_seconds == 240 and lesson.is_media


def test_a_lesson_follows_a_changed_duration_of_its_media_item(course):
    item = MediaItemFactory(duration=240)
    lesson = LessonPage.objects.child_of(course).first()
    player = {"kind": "video", "title": "视频", "media": item.pk, "document": None, "url": "", "duration_seconds": None}
    lesson.body = [("media", MediaBlock().to_python(player))]
    lesson.save_revision().publish()
    item.duration = 300
    item.save()
    lesson.refresh_from_db()
    assert lesson.media_duration_seconds == 300
    # A lesson with its own running time keeps it.
    lesson.body = [("media", MediaBlock().to_python({**player, "duration_seconds": 90}))]
    lesson.save_revision().publish()
    item.duration = 360
    item.save()
    lesson.refresh_from_db()
    assert lesson.media_duration_seconds == 90


def test_media_block_refuses_a_javascript_url():
    block, value = media_value(url="javascript:alert(1)")
    with pytest.raises(ValidationError):
        block.clean(value)


def test_media_block_shows_its_running_time_as_minutes_and_seconds():
    _block, value = media_value(duration_seconds=125)
    assert value.duration_label == "2:05"


def test_a_lesson_may_hold_only_one_player():
    stream = LessonStreamBlock()
    media = {"kind": "audio", "title": "音频", "url": "/media/a.mp3", "duration_seconds": 60}
    value = stream.to_python([{"type": "media", "value": media}, {"type": "media", "value": media}])
    with pytest.raises(ValidationError):
        stream.clean(value)


@pytest.mark.django_db
def test_callout_and_quote_blocks_render_their_text():
    stream = LessonStreamBlock()
    value = stream.to_python(
        [
            {"type": "callout", "value": {"tone": "warning", "heading": "注意", "text": "不要打骂孩子"}},
            {"type": "quote", "value": {"text": "倾听是爱的开始。", "source": "某位家长"}},
        ]
    )
    html = str(stream.render(value))
    assert "lesson-callout--warning" in html and "不要打骂孩子" in html
    assert "<blockquote>" in html and "某位家长" in html
