"""The district's Ed25519 signature over each completion report's PDF bytes.

The private key is ``settings.GUIDANCE_SIGNING_KEY`` (64 hex digits: the key's 32 raw bytes);
production refuses to start without one, dev and test use a fixed key. The public key is
published at ``/guidance/reports/public-key.pem`` so a court can check a PDF offline
(docs/guidance-reports.md). A signature is over the exact bytes of the stored file: one changed
byte and it fails.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


@lru_cache(maxsize=1)
def private_key() -> Ed25519PrivateKey:
    raw = settings.GUIDANCE_SIGNING_KEY
    try:
        seed = bytes.fromhex(raw)
    except ValueError:
        seed = b""
    if len(seed) != 32:
        raise ImproperlyConfigured("GUIDANCE_SIGNING_KEY must be 64 hex digits (an Ed25519 private key's 32 bytes).")
    return Ed25519PrivateKey.from_private_bytes(seed)


@receiver(setting_changed)
def _forget_key(setting: str, **kwargs: object) -> None:
    if setting == "GUIDANCE_SIGNING_KEY":
        private_key.cache_clear()


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem() -> bytes:
    return public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def sign(data: bytes) -> bytes:
    """The 64-byte signature of ``data``."""
    return private_key().sign(data)


def verify(data: bytes, signature: bytes, key: Ed25519PublicKey | None = None) -> bool:
    try:
        (key or public_key()).verify(signature, data)
    except InvalidSignature:
        return False
    return True


def new_key_hex() -> str:
    """A fresh private key as the setting holds it (``manage.py guidance_signing_key --new``)."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    ).hex()
