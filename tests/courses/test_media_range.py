"""Lesson media answer HTTP Range requests (seeking, resuming) and keep Wagtail's privacy checks."""

from __future__ import annotations

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

import pytest

from core.media import UNSATISFIABLE, parse_range
from tests.factories.accounts import sign_in_fully

pytestmark = pytest.mark.django_db

CONTENT = bytes(range(256)) * 4  # 1,024 bytes, every position different


def make_document(collection=None, content=CONTENT, name="lesson.mp4"):
    document = get_document_model()(title="课程视频", collection=collection or Collection.get_first_root_node())
    document.file.save(name, ContentFile(content), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


@pytest.fixture
def document():
    return make_document()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=1000-", (1000, 1023)),
        ("bytes=1000-5000", (1000, 1023)),
        ("bytes=-24", (1000, 1023)),
        ("bytes=-5000", (0, 1023)),
        ("bytes=1024-", UNSATISFIABLE),
        ("bytes=10-5", UNSATISFIABLE),
        ("bytes=-0", UNSATISFIABLE),
        ("bytes=-", UNSATISFIABLE),
        ("bytes=abc", UNSATISFIABLE),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-1", None),  # a unit we do not know: ignored
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, len(CONTENT)) == expected


def test_a_plain_request_gets_the_whole_file_and_learns_that_ranges_work(client, document):
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == CONTENT


def test_a_closed_range_gets_206_with_content_range(client, document):
    response = client.get(document.url, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(CONTENT)}"
    assert response["Content-Length"] == "100"
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == CONTENT[100:200]
    # Wagtail's own headers are kept.
    assert response["ETag"] == f'"{document.file_hash}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_open_ended_range_runs_to_the_end(client, document):
    response = client.get(document.url, HTTP_RANGE="bytes=1000-")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 1000-1023/1024"
    assert body(response) == CONTENT[1000:]


def test_a_suffix_range_gets_the_last_bytes(client, document):
    response = client.get(document.url, HTTP_RANGE="bytes=-10")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 1014-1023/1024"
    assert response["Content-Length"] == "10"
    assert body(response) == CONTENT[-10:]


def test_a_range_past_the_end_is_clipped(client, document):
    response = client.get(document.url, HTTP_RANGE="bytes=1020-99999")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 1020-1023/1024"
    assert body(response) == CONTENT[1020:]


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=10-5", "bytes=-0", "bytes=x-y"])
def test_an_unsatisfiable_or_malformed_range_gets_416(client, document, header):
    response = client.get(document.url, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


def test_several_ranges_or_an_outdated_if_range_get_the_whole_file(client, document):
    several = client.get(document.url, HTTP_RANGE="bytes=0-1,5-6")
    assert several.status_code == 200 and body(several) == CONTENT
    outdated = client.get(document.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an-old-version"')
    assert outdated.status_code == 200 and body(outdated) == CONTENT
    current = client.get(document.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{document.file_hash}"')
    assert current.status_code == 206 and body(current) == CONTENT[:10]


def test_head_answers_a_range_without_a_body(client, document):
    response = client.head(document.url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"


def test_conditional_requests_still_get_304(client, document):
    response = client.get(document.url, HTTP_IF_NONE_MATCH=f'"{document.file_hash}"', HTTP_RANGE="bytes=0-9")
    assert response.status_code == 304


def test_the_url_must_name_the_document_file(client, document):
    assert client.get(f"/documents/{document.pk}/other.mp4", HTTP_RANGE="bytes=0-9").status_code == 404
    assert client.post(document.url).status_code == 405


def test_a_private_collection_is_refused_to_visitors_even_for_a_range(client, django_user_model):
    root = Collection.get_first_root_node()
    private = root.add_child(name="仅限登录")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    document = make_document(collection=private, name="private.mp4")
    response = client.get(document.url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")  # the site's own sign-in page
    assert "Content-Range" not in response

    sign_in_fully(client, django_user_model.objects.create_user(username="viewer", password="x"))
    response = client.get(document.url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206 and body(response) == CONTENT[:10]
