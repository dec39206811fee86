"""Fixtures for the resource library: the index, the shared taxonomy and people in each role."""

from __future__ import annotations

import pytest

from tests.factories.courses import AgeGroupFactory, TopicFactory
from tests.factories.library import library_index as make_library_index


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Test images, documents and renditions go to a temporary folder, not the repository's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def library_index(db):
    return make_library_index()


@pytest.fixture
def taxonomy(db):
    return {
        "bullying": TopicFactory(name="防范校园欺凌", slug="bullying"),
        "online": TopicFactory(name="网络安全与防沉迷", slug="online-safety"),
        "communication": TopicFactory(name="亲子沟通", slug="communication"),
        "primary": AgeGroupFactory(name="小学（6–12 岁）", slug="primary"),
        "junior": AgeGroupFactory(name="初中（12–15 岁）", slug="junior"),
    }
