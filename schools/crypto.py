"""Encryption at rest for minors' data: students' names and report narratives.

A database dump or backup alone must not reveal which child was bullied or how. Values are
encrypted with Fernet (AES-128-CBC + HMAC, from the maintained ``cryptography`` package);
``MultiFernet`` lets several keys decrypt while the first one encrypts, so keys rotate
without downtime: put the new key first in ``SCHOOLS_ENCRYPTION_KEYS``, deploy, then run
``rotate_encrypted_fields()`` and finally drop the old key.
"""

from __future__ import annotations

from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models, transaction
from django.dispatch import receiver

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "fernet:"


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "SCHOOLS_ENCRYPTION_KEYS", None) or [])
    if not keys:
        raise ImproperlyConfigured("SCHOOLS_ENCRYPTION_KEYS is empty: reports cannot be encrypted.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"SCHOOLS_ENCRYPTION_KEYS holds an invalid Fernet key: {error}") from error


@receiver(setting_changed)
def _forget_keys(setting, **kwargs):
    if setting == "SCHOOLS_ENCRYPTION_KEYS":
        _fernet.cache_clear()


def encrypt(value: str) -> str:
    return PREFIX + _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("value is not encrypted")
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An encrypted value cannot be decrypted with SCHOOLS_ENCRYPTION_KEYS (was a key removed too early?)"
        ) from error


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token; Python code only ever sees the plain text.

    Encrypted columns cannot be searched or ordered in SQL; that is the point.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def encrypted_fields(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]


def rotate_encrypted_fields() -> int:
    """Re-encrypts every encrypted value with the first (newest) key; returns rows rewritten.

    Reading decrypts with any configured key; writing encrypts with the first one.
    """
    rewritten = 0
    for model in apps.get_app_config("schools").get_models():
        names = encrypted_fields(model)
        if not names:
            continue
        with transaction.atomic():
            for pk, *values in model._base_manager.values_list("pk", *names).iterator():
                updates = {name: value for name, value in zip(names, values, strict=True) if value}
                if updates:
                    model._base_manager.filter(pk=pk).update(**updates)
                    rewritten += 1
    return rewritten
