"""Receipt codes for anonymous reporters: 100 random bits, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import re
import secrets

# 32 symbols without the look-alikes I, O, 0 and 1: 20 symbols carry 100 bits.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 20


def new_code() -> str:
    """A fresh code, grouped for reading aloud and copying: ``ABCD-EFGH-JKLM-NPQR-STUV``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalise(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def code_hash(code: str) -> str:
    """SHA-256 of the normalised code. 100 random bits need no salt to resist guessing."""
    return hashlib.sha256(normalise(code).encode("ascii")).hexdigest()


def looks_valid(code: str) -> bool:
    value = normalise(code)
    return len(value) == LENGTH and all(symbol in ALPHABET for symbol in value)
