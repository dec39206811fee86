"""Factories for lesson video and audio: wagtailmedia items and Wagtail documents, in the root
collection unless a (private) collection is given."""

from __future__ import annotations

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

import factory
from factory.django import DjangoModelFactory
from wagtailmedia import get_media_model
from wagtailmedia.models import MediaType

CONTENT = bytes(range(256)) * 4  # 1,024 bytes, every position different
THUMBNAIL = b"\xff\xd8\xff\xe0 not really a JPEG, but served as one"


def root_collection() -> Collection:
    return Collection.get_first_root_node()


def private_collection(name: str = "仅限登录") -> Collection:
    """A collection only signed-in users may see (Wagtail's "private, any logged-in user")."""
    collection = root_collection().add_child(name=name)
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    return collection


class MediaItemFactory(DjangoModelFactory):
    """A wagtailmedia video item of 1,024 distinct bytes; ``with_thumbnail=True`` adds a poster,
    ``audio=True`` makes it an MP3."""

    title = factory.Sequence(lambda n: f"课程视频{n}")
    type = MediaType.VIDEO
    duration = 30
    width = 640
    height = 360
    collection = factory.LazyFunction(root_collection)
    file = factory.django.FileField(filename="lesson.mp4", data=CONTENT)

    class Meta:
        model = get_media_model()

    class Params:
        with_thumbnail = factory.Trait(
            thumbnail=factory.django.FileField(filename="poster.jpg", data=THUMBNAIL),
        )
        audio = factory.Trait(
            type=MediaType.AUDIO,
            width=None,
            height=None,
            file=factory.django.FileField(filename="lesson.mp3", data=CONTENT),
        )


class DocumentFactory(DjangoModelFactory):
    """A Wagtail document holding a video, as lessons used before wagtailmedia."""

    title = factory.Sequence(lambda n: f"课程文件{n}")
    collection = factory.LazyFunction(root_collection)
    file = factory.django.FileField(filename="lesson.mp4", data=CONTENT)

    class Meta:
        model = get_document_model()
