"""Behind nginx, documents leave the app as X-Accel-Redirect after Wagtail's checks (core/sendfile.py)."""

from __future__ import annotations

from wagtail.models import Collection, CollectionViewRestriction
from wagtail.utils.sendfile import _get_sendfile

import pytest

from tests.courses.test_media_range import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_nginx(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SENDFILE_BACKEND = "core.sendfile"
    settings.SENDFILE_URL = "/_protected/media/"
    _get_sendfile.clear()  # Wagtail keeps the backend it loaded first
    yield
    _get_sendfile.clear()


def test_a_public_document_is_handed_to_nginx_with_wagtails_headers(client, behind_nginx):
    document = make_document(name="家长手册.pdf", content=b"%PDF-1.4 handout")

    response = client.get(document.url, HTTP_RANGE="bytes=0-3")

    assert response.status_code == 200  # nginx answers the range itself
    assert response["X-Accel-Redirect"] == "/_protected/media/" + document.file.name.replace(
        "家长手册", "%E5%AE%B6%E9%95%BF%E6%89%8B%E5%86%8C"
    )
    assert response.content == b""
    assert "attachment" in response["Content-Disposition"] or "inline" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_private_document_is_still_refused_to_visitors(client, behind_nginx):
    private = Collection.get_first_root_node().add_child(name="仅限登录")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    document = make_document(collection=private, name="private.pdf")

    response = client.get(document.url)

    assert response.status_code == 302
    assert "X-Accel-Redirect" not in response
