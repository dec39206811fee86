"""The site's search dictionary (``vocabulary.txt``), read once per process.

Each line is an equivalence group (``a = b = c``) or a one-way expansion (``a, b => c d``); see
the file's header. Entries are normalised like queries (simplified characters, lower case).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .analysis import normalise

VOCABULARY = Path(__file__).with_name("vocabulary.txt")
_LIST = re.compile(r"\s*[,，、]\s*")


def parse(text: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(triggers, targets) rules: a query containing a trigger also searches for the targets."""
    rules = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" in line:
            left, right = line.split("=>", 1)
            triggers = tuple(normalise(word) for word in _LIST.split(left) if word.strip())
            targets = tuple(normalise(word) for word in right.split() if word.strip())
            if triggers and targets:
                rules.append((triggers, targets))
        elif "=" in line:
            members = [normalise(word) for word in line.split("=") if word.strip()]
            for member in members:
                rules.append(((member,), tuple(other for other in members if other != member)))
    return rules


@functools.cache
def vocabulary_rules() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    return tuple(parse(VOCABULARY.read_text(encoding="utf-8")))
