"""Chinese first: every string the code and templates mark for translation has a zh-hans text.

Collects the strings the way ``make messages-extract`` does (Django's ``makemessages``, GNU
gettext's xgettext) into a copy of ``locale/``, merged with today's translations, and fails
naming each string that has no translation or only a fuzzy guess. A string added in English
and never translated would otherwise show up in English on a Chinese page, unnoticed.
"""

from __future__ import annotations

import contextlib
import shutil
from io import StringIO
from pathlib import Path

from django.conf import settings as django_settings
from django.core.management import call_command

from babel.messages.pofile import read_po

from tests.conftest import skip_or_fail

# The same as the Makefile's messages-extract target.
IGNORED = [".venv", "node_modules", "tests", "bench", "htmlcov"]


def test_every_marked_string_has_a_chinese_translation(tmp_path, settings):
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        skip_or_fail("GNU gettext (xgettext, msgmerge) is not installed: cannot collect the strings")
    # makemessages writes into the locale folder nearest to the files it reads: give it a copy of
    # the project made of links to the source folders and a real copy of locale/.
    base = Path(django_settings.BASE_DIR)
    project = tmp_path / "project"
    project.mkdir()
    for entry in base.iterdir():
        if entry.name not in IGNORED and entry.name != "locale" and not entry.name.startswith("."):
            (project / entry.name).symlink_to(entry)
    locale = project / "locale"
    shutil.copytree(base / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [locale]

    with contextlib.chdir(project):
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            ignore_patterns=IGNORED,
            no_obsolete=True,
            symlinks=True,
            verbosity=0,
            stdout=StringIO(),
        )

    with open(locale / "zh_Hans" / "LC_MESSAGES" / "django.po", "rb") as po:
        catalog = read_po(po)
    missing = [
        f"{message.id!r} ({', '.join(f'{path}:{line}' for path, line in message.locations[:2])})"
        for message in catalog
        if message.id
        and (message.fuzzy or not (message.string if isinstance(message.string, str) else all(message.string)))
    ]
    assert not missing, f"{len(missing)} strings have no zh-hans translation:\n" + "\n".join(missing)
