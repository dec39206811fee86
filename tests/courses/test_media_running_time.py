"""A teacher need not type a video's length: the running time of an MP4, M4A or MP3 upload is
read from the file (mutagen, core/uploads/running_time.py), and the media edit form previews
the item as parents will play it (issue 15)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from accounts.roles import Role
from core.media import media_file_url
from core.uploads.running_time import running_time
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import LessonPageFactory, course_with_lessons
from tests.factories.media import MediaItemFactory

DEMO_VIDEO = Path(__file__).resolve().parents[2] / "demo" / "media" / "recognising-the-signs.mp4"
# MPEG-1 Layer III frames, 128 kbit/s at 44.1 kHz: 417 bytes and 1,152 samples each.
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413


def mp3_of(seconds: float) -> bytes:
    return MP3_FRAME * round(seconds * 44100 / 1152)


@pytest.mark.parametrize(
    ("data", "extension", "expected"),
    [
        (DEMO_VIDEO.read_bytes(), "mp4", 30.0),
        (DEMO_VIDEO.read_bytes(), "M4A", 30.0),  # the same container, an audio extension
        (mp3_of(10), "mp3", 10.0),
        (mp3_of(95), "mp3", 95.0),  # from bitrate and size: frames of 417 bytes make it 94.8
    ],
)
def test_the_running_time_is_read_from_the_file(data, extension, expected):
    assert running_time(io.BytesIO(data), extension) == pytest.approx(expected, abs=0.5)


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64, "mp4"),  # no moov box
        (b"<html><script>alert(1)</script></html>", "mp3"),
        (b"\x1a\x45\xdf\xa3" + b"\x00" * 64, "webm"),  # not read here: the teacher types it
        (b"", "mp4"),
    ],
)
def test_a_file_that_tells_no_running_time_gives_none(data, extension):
    assert running_time(io.BytesIO(data), extension) is None


@pytest.fixture
def teacher_client(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in_fully(client, UserFactory(is_superuser=True, is_staff=True, role=Role.TEACHER))
    return client


def _add(client, kind: str, name: str, data: bytes, **fields):
    from wagtailmedia.models import get_media_model

    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = client.post(
        f"/admin/media/{kind}/add/", {"title": "课程视频", "file": upload, "collection": 1, **fields}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return get_media_model().objects.latest("pk")


def test_a_teacher_uploads_a_video_without_typing_its_length_and_the_lesson_takes_it(teacher_client):
    item = _add(teacher_client, "video", "lesson.mp4", DEMO_VIDEO.read_bytes(), duration="")

    assert item.duration == pytest.approx(30.05, abs=0.1)
    course = course_with_lessons(0)
    player = {"kind": "video", "title": "视频", "media": item.pk, "document": None, "url": "", "duration_seconds": None}
    body = json.dumps([{"type": "media", "value": player}])
    lesson = LessonPageFactory(parent=course, body=body)
    assert lesson.media_duration_seconds == 30


def test_the_files_length_replaces_a_wrong_typed_one_and_audio_is_read_too(teacher_client):
    item = _add(teacher_client, "audio", "talk.mp3", mp3_of(95), duration="600")

    assert item.duration == pytest.approx(95, abs=0.5)


def test_a_length_typed_for_a_format_not_read_here_is_kept(teacher_client):
    webm = b"\x1a\x45\xdf\xa3" + b"\x00" * 64
    item = _add(teacher_client, "video", "lesson.webm", webm, duration="42")

    assert item.duration == 42


@pytest.mark.parametrize(("audio", "tag"), [(False, "<video"), (True, "<audio")])
def test_the_edit_form_previews_the_item_as_parents_will_play_it(teacher_client, audio, tag):
    item = MediaItemFactory(audio=audio)

    html = teacher_client.get(reverse("wagtailmedia:edit", args=[item.pk])).content.decode()

    assert f'{tag} controls preload="metadata"' in html
    assert f'src="{media_file_url(item)}"' in html
