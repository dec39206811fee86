"""wagtailmedia items are served by the site itself (``/media-files/<id>/<name>``), with byte
ranges for seeking and resuming, conditional requests and their collection's privacy."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import http_date

from wagtail.models import CollectionViewRestriction

import pytest

from core.media import media_file_url
from tests.factories.accounts import sign_in_fully
from tests.factories.media import CONTENT, THUMBNAIL, MediaItemFactory, private_collection, root_collection

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_item():
    return MediaItemFactory(with_thumbnail=True)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_url_names_the_item_and_its_file(media_item):
    assert media_file_url(media_item) == f"/media-files/{media_item.pk}/{media_item.filename}"
    assert media_item.filename.endswith(".mp4")


def test_a_plain_request_gets_the_whole_file_with_validators_and_accept_ranges(client, media_item):
    response = client.get(media_file_url(media_item))
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert body(response) == CONTENT


def test_a_range_gets_206_with_content_range(client, media_item):
    response = client.get(media_file_url(media_item), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(CONTENT)}"
    assert response["Content-Length"] == "100"
    assert body(response) == CONTENT[100:200]


def test_a_suffix_range_gets_the_last_bytes(client, media_item):
    response = client.get(media_file_url(media_item), HTTP_RANGE="bytes=-10")
    assert response.status_code == 206
    assert body(response) == CONTENT[-10:]


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=10-5", "bytes=-0"])
def test_an_unsatisfiable_range_gets_416(client, media_item, header):
    response = client.get(media_file_url(media_item), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(CONTENT)}"


def test_if_range_with_the_current_etag_gets_the_range_and_an_old_one_the_whole_file(client, media_item):
    url = media_file_url(media_item)
    etag = client.get(url)["ETag"]
    current = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert current.status_code == 206 and body(current) == CONTENT[:10]
    outdated = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an-old-version"')
    assert outdated.status_code == 200 and body(outdated) == CONTENT


def test_a_visitor_who_has_the_file_gets_304(client, media_item):
    url = media_file_url(media_item)
    first = client.get(url)
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_RANGE="bytes=0-9")
    assert not_modified.status_code == 304 and not_modified["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_the_thumbnail_is_served_from_the_same_route(client, media_item):
    response = client.get(media_file_url(media_item, media_item.thumbnail_filename))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert body(response) == THUMBNAIL


def test_head_answers_a_range_without_a_body(client, media_item):
    response = client.head(media_file_url(media_item), HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"


def test_an_unknown_item_or_file_name_is_404_and_post_is_405(client, media_item):
    assert client.get(f"/media-files/{media_item.pk + 100}/{media_item.filename}").status_code == 404
    assert client.get(f"/media-files/{media_item.pk}/other.mp4").status_code == 404
    assert client.post(media_file_url(media_item)).status_code == 405


def test_an_item_without_a_thumbnail_has_no_thumbnail_file(client):
    media_item = MediaItemFactory()
    assert client.get(f"/media-files/{media_item.pk}/poster.jpg").status_code == 404


def test_a_file_missing_from_storage_is_404(client, media_item):
    media_item.file.storage.delete(media_item.file.name)
    assert client.get(media_file_url(media_item)).status_code == 404


def test_a_private_collection_sends_visitors_to_sign_in_even_for_a_range(client, django_user_model):
    media_item = MediaItemFactory(collection=private_collection(), with_thumbnail=True)
    for url in (media_file_url(media_item), media_file_url(media_item, media_item.thumbnail_filename)):
        response = client.get(url, HTTP_RANGE="bytes=0-9")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")  # the site's own sign-in page
        assert "Content-Range" not in response

    sign_in_fully(client, django_user_model.objects.create_user(username="viewer", password="x"))
    response = client.get(media_file_url(media_item), HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206 and body(response) == CONTENT[:10]
    assert "private" in response["Cache-Control"]


def test_an_audio_item_is_served_as_audio(client):
    media_item = MediaItemFactory(audio=True)
    response = client.get(media_file_url(media_item), HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206
    assert response["Content-Type"] == "audio/mpeg"


def test_a_password_protected_collection_asks_for_the_password_first(client):
    collection = root_collection().add_child(name="凭密码观看")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="xuhui"
    )
    media_item = MediaItemFactory(collection=collection)
    url = media_file_url(media_item)
    asked = client.get(url, HTTP_RANGE="bytes=0-9")
    assert asked.status_code == 200 and "Content-Range" not in asked
    assert 'name="password"' in asked.content.decode()

    answered = client.post(
        reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk]),
        {"password": "xuhui", "return_url": url},
    )
    assert answered.status_code == 302 and answered["Location"] == url
    response = client.get(url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206 and body(response) == CONTENT[:10]
