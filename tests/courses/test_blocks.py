"""Lesson blocks: each is described for editors, and the media block checks its source."""

from __future__ import annotations

from django.core.exceptions import ValidationError

import pytest

from courses.blocks import LessonStreamBlock, MediaBlock


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


def test_media_block_needs_a_file_or_a_url():
    block, value = media_value(url="")
    with pytest.raises(ValidationError):
        block.clean(value)


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
