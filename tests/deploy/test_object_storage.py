"""Wagtail documents and lesson media on S3-compatible object storage (django-storages), switched on
by settings, against moto's S3 server started on a spare port: upload, serve with privacy and
Range, delete. Local disk stays the default (``STORAGES`` without ``S3_BUCKET``)."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request

from django.core.files.storage import default_storage

import pytest

from tests.conftest import closed_port, skip_or_fail, which
from tests.factories.accounts import UserFactory
from tests.factories.media import CONTENT, DocumentFactory, MediaItemFactory, private_collection

pytestmark = pytest.mark.django_db

BUCKET = "huiai-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    binary = which("moto_server")
    if binary is None:
        skip_or_fail("moto's S3 server is not installed (make install: moto[server])")
    port = closed_port()
    process = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(endpoint, timeout=1).close()  # noqa: S310 - loopback only
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.terminate()
        raise AssertionError(f"moto_server did not answer on port {port}")
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def bucket(settings, s3_endpoint):
    import boto3

    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "location": "media",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def stored_keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def fetch(url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.read(), {key.lower(): value for key, value in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, error.read(), {key.lower(): value for key, value in error.headers.items()}


def test_local_disk_is_the_default():
    from django.conf import settings

    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_document_is_uploaded_served_by_range_and_deleted(client, bucket, django_capture_on_commit_callbacks):
    document = DocumentFactory()
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    (key,) = stored_keys(bucket)
    assert key.startswith("media/documents/")
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == CONTENT

    # The object itself is private: its plain address is refused.
    status, _, _ = fetch(f"{bucket.meta.endpoint_url}/{BUCKET}/{key}")
    assert status == 403

    # Wagtail's view checks, then sends the visitor to a signed address that answers ranges.
    response = client.get(document.url)
    assert response.status_code == 302
    signed = response["Location"]
    assert "Signature=" in signed or "X-Amz-Signature=" in signed
    status, body, headers = fetch(signed, {"Range": "bytes=10-19"})
    assert status == 206
    assert body == CONTENT[10:20]
    assert headers["content-range"] == f"bytes 10-19/{len(CONTENT)}"

    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert stored_keys(bucket) == []


def test_a_private_document_is_refused_to_visitors_and_served_to_members(client, bucket):
    document = DocumentFactory(collection=private_collection())

    refused = client.get(document.url)
    assert refused.status_code == 302
    assert "/accounts/login/" in refused["Location"]
    assert "X-Amz" not in refused["Location"] and "Signature" not in refused["Location"]

    client.force_login(UserFactory())
    allowed = client.get(document.url)
    assert allowed.status_code == 302
    status, body, _ = fetch(allowed["Location"])
    assert status == 200 and body == CONTENT


def test_lesson_video_on_the_object_store_is_served_by_range(client, bucket):
    item = MediaItemFactory()
    assert any(key.startswith("media/media/") for key in stored_keys(bucket))

    response = client.get(f"/media-files/{item.pk}/{item.filename}", HTTP_RANGE="bytes=1000-")

    assert response.status_code == 206
    assert b"".join(response.streaming_content) == CONTENT[1000:]
    assert response["Content-Range"] == f"bytes 1000-1023/{len(CONTENT)}"


def test_a_private_lesson_video_is_refused_to_visitors(client, bucket):
    item = MediaItemFactory(collection=private_collection())

    response = client.get(f"/media-files/{item.pk}/{item.filename}", HTTP_RANGE="bytes=0-9")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
