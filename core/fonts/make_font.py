"""Builds ``core/fonts/wqy-microhei-huiai.ttf`` from Debian's WenQuanYi Micro Hei collection.

Run by a maintainer when the font should change, never at install or run time (fontTools is in
the dev extras):

    apt-get install fonts-wqy-microhei
    make fonts        # or: .venv/bin/python core/fonts/make_font.py [path/to/wqy-microhei.ttc]

It takes the collection's first face (WenQuanYi Micro Hei, the proportional one) and keeps every
character it maps: all of its CJK Unified Ideographs (20,932, so a rare character in a name still
prints), ASCII and Latin, CJK punctuation, full-width forms, kana and Hangul (about 3.8 MB).
Hinting is dropped (a PDF viewer scales the outlines itself), and so are the vertical metrics.
Licence: Apache-2.0 or GPLv3 with the font exception, see LICENSE beside this file; the font's
own name table is kept, so its copyright and licence notices travel with it.
"""

from __future__ import annotations

import sys
from pathlib import Path

SOURCE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
TARGET = Path(__file__).resolve().parent / "wqy-microhei-huiai.ttf"


def build(source: str = SOURCE, target: Path = TARGET) -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    font = TTCollection(source).fonts[0]
    keep = sorted(font.getBestCmap())
    options = subset.Options()
    options.hinting = False
    options.drop_tables += ["vhea", "vmtx", "FFTM"]
    options.name_IDs = ["*"]  # keep copyright, licence and licence URL
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    font.recalcTimestamp = False  # the same source gives the same bytes
    font.save(str(target))
    return target


if __name__ == "__main__":
    path = build(sys.argv[1]) if len(sys.argv) > 1 else build()
    print(f"{path}: {path.stat().st_size:,} bytes")
