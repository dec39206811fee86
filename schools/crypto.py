"""Encryption at rest for minors' data: students' names and report narratives.

A database dump or backup alone must not reveal which child was bullied or how. Values are
encrypted with Fernet (AES-128-CBC + HMAC, from the maintained ``cryptography`` package);
``MultiFernet`` lets several keys decrypt while the first one encrypts, so keys rotate
without downtime: put the new key first in ``SCHOOLS_ENCRYPTION_KEYS``, deploy, then run
``manage.py rotate_schools_keys`` (``rotate_encrypted_fields()`` and
``rotate_attachment_files()``) and finally drop the old key.

Attachments (photos of children, screenshots, PDFs) are encrypted with the same keys: the
file on disk is ``FILE_HEADER`` followed by a Fernet token of the whole file. Fernet works on
the whole file in memory (about four copies of it while encrypting or decrypting), which is
fine for attachments capped at ``SCHOOLS_ATTACHMENT_MAX_BYTES`` (10 MB) and would not be for
video. A file written before encryption existed (no header) is still read as it is, and
encrypted by the ``0007_uploads_encrypt_attachments`` migration or the next rotation.
"""

from __future__ import annotations

import logging
import os
import tempfile
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models, transaction
from django.dispatch import receiver

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "fernet:"
FILE_HEADER = b"huiai-fernet-v1\n"

logger = logging.getLogger(__name__)


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
    # Every app's models: encrypted columns outside ``schools`` (guidance stations' session
    # records, ``workstations.SessionRecord``) use the same keys and rotate with them.
    for model in apps.get_models():
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


# --- Files ---------------------------------------------------------------------------------
def encrypt_bytes(data: bytes) -> bytes:
    return FILE_HEADER + _fernet().encrypt(data)


def is_encrypted_file(stored: bytes) -> bool:
    return stored.startswith(FILE_HEADER)


def decrypt_bytes(stored: bytes, *, name: str = "") -> bytes:
    """The plain content of a stored file; a file from before encryption is returned as it is."""
    if not is_encrypted_file(stored):
        logger.warning("Attachment %s is not encrypted yet: run `manage.py rotate_schools_keys`.", name)
        return stored
    try:
        return _fernet().decrypt(stored[len(FILE_HEADER) :])
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An encrypted file cannot be decrypted with SCHOOLS_ENCRYPTION_KEYS (was a key removed too early?)"
        ) from error


def _replace_file(path: str, data: bytes) -> None:
    """Writes ``data`` to ``path`` at once: a crash leaves the old file or the new one, never half."""
    directory = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".rotating-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def rotate_attachment_files(attachment_model=None, *, only_plaintext: bool = False) -> int:
    """Re-encrypts every attachment file with the first key (and encrypts any plain one).

    Returns the number of files rewritten. ``only_plaintext`` leaves encrypted files alone
    (the migration that encrypts files stored before encryption existed).
    """
    model = attachment_model or apps.get_model("schools", "Attachment")
    storage = model._meta.get_field("file").storage
    rewritten = 0
    for name in model._base_manager.exclude(file="").values_list("file", flat=True).iterator():
        path = storage.path(name)
        try:
            with open(path, "rb") as file:
                stored = file.read()
        except FileNotFoundError:
            logger.error("Attachment file %s is missing; nothing to re-encrypt.", name)
            continue
        if is_encrypted_file(stored):
            if only_plaintext:
                continue
            try:
                token = _fernet().rotate(stored[len(FILE_HEADER) :])
            except InvalidToken as error:
                raise ImproperlyConfigured(
                    f"Attachment {name} cannot be decrypted with SCHOOLS_ENCRYPTION_KEYS (was a key removed too early?)"
                ) from error
            _replace_file(path, FILE_HEADER + token)
        else:
            _replace_file(path, encrypt_bytes(stored))
        rewritten += 1
    return rewritten
