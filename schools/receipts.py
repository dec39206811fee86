"""Receipt codes for anonymous reporters: 105 random bits, shown once, stored only as a hash.

A code is 21 symbols in seven groups of three (``ABC-DEF-GHJ-KLM-NPQ-RST-UVW``): short groups are
easier for a child to copy by hand or read aloud than the earlier five groups of four, and one
more symbol keeps the strength above the earlier 100 bits. Codes given out before (20 symbols)
still open their reports.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from cryptography.fernet import Fernet, InvalidToken

# 32 symbols without the look-alikes I, O, 0 and 1: 21 symbols carry 105 bits.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 21
GROUP = 3
# The length of the codes given out before the groups were shortened (100 bits).
EARLIER_LENGTH = 20


def new_code() -> str:
    """A fresh code, grouped for reading aloud and copying: ``ABC-DEF-GHJ-KLM-NPQ-RST-UVW``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(groups(raw))


def groups(code: str) -> list[str]:
    """The code's groups as shown on the receipt (any dashes or spaces typed are ignored)."""
    value = normalise(code)
    size = GROUP if len(value) == LENGTH else 4
    return [value[i : i + size] for i in range(0, len(value), size)]


def normalise(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def code_hash(code: str) -> str:
    """SHA-256 of the normalised code. 100 random bits need no salt to resist guessing."""
    return hashlib.sha256(normalise(code).encode("ascii")).hexdigest()


def looks_valid(code: str) -> bool:
    value = normalise(code)
    return len(value) in (LENGTH, EARLIER_LENGTH) and all(symbol in ALPHABET for symbol in value)


# --- One-time form keys: a repeated post of the same form files nothing -------------------------
# The report form carries a fresh random key. The server stores only its hash (to find the report
# a repeat refers to) and the receipt code sealed with a key derived from it, so only the device
# holding the form can read the code again, and only within RESUBMIT_SECONDS.
RESUBMIT_SECONDS = 10 * 60
SUBMISSION_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def new_submission_key() -> str:
    return secrets.token_urlsafe(32)


def submission_hash(key: str) -> str:
    return hashlib.sha256(b"huiai-report-form:" + key.encode("ascii")).hexdigest()


def _sealing_key(key: str) -> bytes:
    digest = hmac.new(key.encode("ascii"), b"huiai-receipt-seal", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)


def seal(code: str, key: str) -> str:
    return Fernet(_sealing_key(key)).encrypt(code.encode("ascii")).decode("ascii")


def unseal(sealed: str, key: str) -> str | None:
    """The code sealed with ``key``, or None when it is older than ``RESUBMIT_SECONDS`` or not ours."""
    if not sealed:
        return None
    try:
        return Fernet(_sealing_key(key)).decrypt(sealed.encode("ascii"), ttl=RESUBMIT_SECONDS).decode("ascii")
    except (InvalidToken, ValueError):
        return None
